import type { ApiClient, ManagedUser } from '@atrium/contracts';
import { Button } from '@atrium/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { unlockSignIn } from '../api.js';

interface SignInLockProps {
  api: ApiClient;
  user: ManagedUser;
  formatTime(iso: string): string;
  onUnlocked(user: ManagedUser): void;
}

/** A user's sign-in lock (too many failed sign-ins) and the button that ends it early. */
export function SignInLock({ api, user, formatTime, onUnlocked }: SignInLockProps) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  if (!user.signInLockedUntil) return <span>{t('users.signInAllowed')}</span>;

  async function unlock() {
    setPending(true);
    setFailure(null);
    try {
      onUnlocked(await unlockSignIn(api, user.id));
    } catch (error) {
      setFailure(errorMessage(error));
      setPending(false);
    }
  }

  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}>
      <span>{t('users.lockedUntil', { time: formatTime(user.signInLockedUntil) })}</span>
      <Button
        variant="secondary"
        disabled={pending}
        onClick={() => void unlock()}
        aria-label={t('users.unlockFor', { email: user.email })}
      >
        {pending ? t('users.unlocking') : t('users.unlock')}
      </Button>
      {failure ? (
        <p role="alert" style={{ color: 'var(--danger)' }}>
          {t('users.unlockFailed', { reason: failure })}
        </p>
      ) : null}
    </div>
  );
}
