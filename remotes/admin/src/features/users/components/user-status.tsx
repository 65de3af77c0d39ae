import type { ManagedUser } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';

/** The account's state as badges: disabled, locked after failed sign-ins, must change password; "Active" otherwise. */
export function UserStatus({ user }: { user: ManagedUser }) {
  const { t } = useTranslation('admin');
  const badges: { key: string; label: string; danger: boolean }[] = [];
  if (user.disabledAt) badges.push({ key: 'disabled', label: t('userStatus.disabled'), danger: true });
  if (user.signInLockedUntil) badges.push({ key: 'locked', label: t('userStatus.locked'), danger: true });
  if (user.mustChangePassword)
    badges.push({ key: 'mustChange', label: t('userStatus.mustChangePassword'), danger: false });
  if (badges.length === 0) return <span className="admin-muted">{t('userStatus.active')}</span>;
  return (
    <span className="admin-user-status" data-testid="user-status">
      {badges.map((badge) => (
        <span
          key={badge.key}
          data-status={badge.key}
          className={badge.danger ? 'admin-badge admin-badge-danger' : 'admin-badge admin-badge-canary'}
        >
          {badge.label}
        </span>
      ))}
    </span>
  );
}
