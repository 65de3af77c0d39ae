import type { ApiClient, ManagedUser } from '@atrium/contracts';
import { Button } from '@atrium/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { changeRole } from '../api.js';
import { RoleSelect } from './role-select.js';
import { SignInLock } from './sign-in-lock.js';
import type { UserAction } from './user-action-dialog.js';
import { UserActions } from './user-actions.js';
import { UserStatus } from './user-status.js';

interface UserRowProps {
  api: ApiClient;
  user: ManagedUser;
  isSelf: boolean;
  formatDate(iso: string): string;
  formatTime(iso: string): string;
  onChanged(user: ManagedUser): void;
  /** Opens the dialog of an account action (disable, reset password, unlock, …) for this user. */
  onAction(user: ManagedUser, action: UserAction): void;
}

export function UserRow({ api, user, isSelf, formatDate, formatTime, onChanged, onAction }: UserRowProps) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const [role, setRole] = useState(user.role);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setFailure(null);
    try {
      onChanged(await changeRole(api, user.id, role));
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <tr data-testid="user-row" data-email={user.email}>
      <td>{isSelf ? t('users.self', { name: user.displayName }) : user.displayName}</td>
      <td>{user.email}</td>
      <td>
        {isSelf ? (
          <span title={t('users.ownRole')}>{t(`roles.${user.role}`)}</span>
        ) : (
          <form onSubmit={(event) => void save(event)} style={{ display: 'flex', gap: 8 }}>
            <RoleSelect
              aria-label={t('users.roleFor', { email: user.email })}
              value={role}
              onChange={setRole}
              disabled={pending}
            />
            <Button
              type="submit"
              variant="secondary"
              disabled={pending || role === user.role}
              aria-label={t('users.saveRoleFor', { email: user.email })}
            >
              {pending ? t('users.saving') : t('users.saveRole')}
            </Button>
          </form>
        )}
        {failure ? (
          <p role="alert" style={{ color: 'var(--danger)' }}>
            {t('users.roleFailed', { reason: failure })}
          </p>
        ) : null}
      </td>
      <td>{formatDate(user.createdAt)}</td>
      <td>
        <SignInLock user={user} formatTime={formatTime} onUnlock={() => onAction(user, 'unlock')} />
      </td>
      <td>
        <UserStatus user={user} />
      </td>
      <td>
        <UserActions user={user} isSelf={isSelf} onAction={(action) => onAction(user, action)} />
      </td>
    </tr>
  );
}
