import type { ManagedUser } from '@atrium/contracts';
import { Button } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import { actionGroup, type UserAction } from './user-action-dialog.js';

interface UserActionsProps {
  user: ManagedUser;
  isSelf: boolean;
  onAction(action: UserAction): void;
}

/**
 * The account actions of one row, each opening its dialog. None on one's own row: the BFF
 * refuses them (409 `user.self_action`); one's own password and sessions are on the account page.
 */
export function UserActions({ user, isSelf, onAction }: UserActionsProps) {
  const { t } = useTranslation('admin');
  if (isSelf) return <span className="admin-muted">{t('userActions.noneForSelf')}</span>;
  const actions: UserAction[] = [user.disabledAt ? 'enable' : 'disable', 'resetPassword', 'revokeSessions', 'delete'];
  return (
    <div className="admin-actions" data-testid="user-actions">
      {actions.map((action) => (
        <Button
          key={action}
          variant={action === 'delete' ? 'danger' : 'secondary'}
          onClick={() => onAction(action)}
          aria-label={t(`${actionGroup[action]}.buttonFor`, { email: user.email })}
        >
          {t(`${actionGroup[action]}.button`)}
        </Button>
      ))}
    </div>
  );
}
