import type { ApiClient, Locale, ManagedUser } from '@atrium/contracts';
import { TableScroll } from '@atrium/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserAction } from './user-action-dialog.js';
import { UserRow } from './user-row.js';

interface UserTableProps {
  api: ApiClient;
  users: ManagedUser[];
  currentUserId: string;
  locale: Locale;
  onChanged(user: ManagedUser): void;
  onAction(user: ManagedUser, action: UserAction): void;
}

export function UserTable({ api, users, currentUserId, locale, onChanged, onAction }: UserTableProps) {
  const { t } = useTranslation('admin');
  const dateFormat = useMemo(() => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }), [locale]);
  const timeFormat = useMemo(() => new Intl.DateTimeFormat(locale, { timeStyle: 'short' }), [locale]);
  return (
    <TableScroll label={t('users.title')}>
      <table data-testid="user-table">
        <caption className="visually-hidden">{t('users.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('users.name')}</th>
            <th scope="col">{t('users.email')}</th>
            <th scope="col">{t('users.role')}</th>
            <th scope="col">{t('users.created')}</th>
            <th scope="col">{t('users.signIn')}</th>
            <th scope="col">{t('userStatus.title')}</th>
            <th scope="col">{t('users.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <UserRow
              key={`${user.id}:${user.role}`}
              api={api}
              user={user}
              isSelf={user.id === currentUserId}
              formatDate={(iso) => dateFormat.format(new Date(iso))}
              formatTime={(iso) => timeFormat.format(new Date(iso))}
              onChanged={onChanged}
              onAction={onAction}
            />
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
