import { type MountProps, roleHas } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';
import { UserManagement } from '../features/users/components/user-management.js';

export function UsersPage({ api, session, locale }: MountProps) {
  const { t } = useTranslation('admin');
  const canManage = session !== null && roleHas(session.user.role, 'users:manage');
  return (
    <section aria-labelledby="admin-users-title" data-testid="admin-users">
      <h2 id="admin-users-title">{t('users.title')}</h2>
      {canManage ? (
        <UserManagement api={api} currentUserId={session.user.id} locale={locale} />
      ) : (
        <p data-testid="users-read-only">{t('users.readOnly')}</p>
      )}
    </section>
  );
}
