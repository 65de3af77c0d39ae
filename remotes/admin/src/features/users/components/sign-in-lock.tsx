import type { ManagedUser } from '@atrium/contracts';
import { Button } from '@atrium/shared';
import { useTranslation } from 'react-i18next';

interface SignInLockProps {
  user: ManagedUser;
  formatTime(iso: string): string;
  /** Opens the unlock dialog (it asks why, audited). */
  onUnlock(): void;
}

/** A user's sign-in lock (too many failed sign-ins) and the button that ends it early. */
export function SignInLock({ user, formatTime, onUnlock }: SignInLockProps) {
  const { t } = useTranslation('admin');
  if (!user.signInLockedUntil) return <span>{t('users.signInAllowed')}</span>;
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}>
      <span>{t('users.lockedUntil', { time: formatTime(user.signInLockedUntil) })}</span>
      <Button variant="secondary" onClick={onUnlock} aria-label={t('users.unlockFor', { email: user.email })}>
        {t('users.unlock')}
      </Button>
    </div>
  );
}
