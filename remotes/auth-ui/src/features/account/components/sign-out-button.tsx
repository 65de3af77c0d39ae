import type { MountProps } from '@atrium/contracts';
import { Button, ErrorNotice } from '@atrium/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { signOut } from '../api.js';

interface SignOutButtonProps {
  services: Pick<MountProps, 'api' | 'refreshSession' | 'bus'>;
  onSignedOut(): void;
}

export function SignOutButton({ services, onSignedOut }: SignOutButtonProps) {
  const { t } = useTranslation('auth');
  const errorMessage = useErrorMessage();
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function run() {
    setPending(true);
    setFailure(null);
    try {
      await signOut(services);
      onSignedOut();
    } catch (error) {
      setFailure(errorMessage(error));
      setPending(false);
    }
  }

  return (
    <div>
      {failure ? <ErrorNotice title={t('signOut.failed')}>{failure}</ErrorNotice> : null}
      <Button variant="secondary" disabled={pending} onClick={() => void run()}>
        {pending ? t('signOut.pending') : t('signOut.button')}
      </Button>
    </div>
  );
}
