import type { ApiClient, Locale, ManagedUser } from '@atrium/contracts';
import { Button, EmptyState, ErrorNotice, Spinner } from '@atrium/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { useUsers } from '../hooks/use-users.js';
import { CreateUserForm } from './create-user-form.js';
import { type ActionOutcome, actionGroup, type UserAction, UserActionDialog } from './user-action-dialog.js';
import { UserTable } from './user-table.js';

interface UserManagementProps {
  api: ApiClient;
  currentUserId: string;
  locale: Locale;
}

export function UserManagement({ api, currentUserId, locale }: UserManagementProps) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const { state, reload } = useUsers(api);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  function created(user: ManagedUser) {
    setCreating(false);
    setNotice(t('create.created', { email: user.email }));
    reload();
  }

  function roleChanged(user: ManagedUser) {
    setNotice(t('users.roleChanged', { email: user.email, role: t(`roles.${user.role}`) }));
    reload();
  }

  const [acting, setActing] = useState<{ user: ManagedUser; action: UserAction } | null>(null);

  function acted(outcome: ActionOutcome) {
    setActing(null);
    const { email } = outcome.user;
    setNotice(
      outcome.action === 'unlock'
        ? t('users.unlocked', { email })
        : outcome.action === 'delete'
          ? t('userDelete.done', { email, ...outcome.deleted })
          : t(`${actionGroup[outcome.action]}.done`, { email }),
    );
    reload();
  }

  return (
    <div style={{ display: 'grid', gap: 16 }}>
      <p role="status">{notice}</p>
      {creating ? (
        <CreateUserForm api={api} onCreated={created} onCancel={() => setCreating(false)} />
      ) : (
        <div>
          <Button onClick={() => setCreating(true)}>{t('create.open')}</Button>
        </div>
      )}
      <p>{t('users.roleChangeNote')}</p>
      {state.status === 'loading' ? <Spinner label={t('users.loading')} /> : null}
      {state.status === 'failed' ? (
        <ErrorNotice title={t('users.loadFailed')} onRetry={reload} retryLabel={t('errors.retry')}>
          {errorMessage(state.error)}
        </ErrorNotice>
      ) : null}
      {state.status === 'ready' && state.users.length === 0 ? <EmptyState title={t('users.empty')} /> : null}
      {state.status === 'ready' && state.users.length > 0 ? (
        <UserTable
          api={api}
          users={state.users}
          currentUserId={currentUserId}
          locale={locale}
          onChanged={roleChanged}
          onAction={(user, action) => setActing({ user, action })}
        />
      ) : null}
      {acting ? (
        <UserActionDialog
          key={`${acting.user.id}:${acting.action}`}
          api={api}
          user={acting.user}
          action={acting.action}
          onDone={acted}
          onCancel={() => setActing(null)}
        />
      ) : null}
    </div>
  );
}
