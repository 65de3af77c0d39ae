import type { MountProps } from '@atrium/contracts';
import { safeReturnPath } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { SignInForm } from '../features/sign-in/components/sign-in-form.js';
import { SignedInNotice } from '../features/sign-in/components/signed-in-notice.js';

export function SignInPage({ session, api, refreshSession, bus, navigate }: MountProps) {
  const { t } = useTranslation('auth');
  const [searchParams] = useSearchParams();
  const next = safeReturnPath(searchParams.get('next'));
  return (
    <div className="card" data-testid="sign-in">
      <h1>{t('signIn.title')}</h1>
      {session ? (
        <SignedInNotice email={session.user.email} next={next} />
      ) : (
        <SignInForm
          services={{ api, refreshSession, bus }}
          onSignedIn={(me) => navigate(me.mustChangePassword ? '/account' : next)}
        />
      )}
    </div>
  );
}
