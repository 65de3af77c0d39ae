import type { MountProps } from '@atrium/contracts';
import { signInPath } from '@atrium/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { AccessTokenList } from '../features/access-tokens/components/access-token-list.js';
import { ChangePasswordForm } from '../features/account/components/change-password-form.js';
import { ProfileCard } from '../features/account/components/profile-card.js';
import { SignOutButton } from '../features/account/components/sign-out-button.js';
import { SessionList } from '../features/sessions/components/session-list.js';

export function AccountPage({ session, api, refreshSession, bus, navigate, locale }: MountProps) {
  const { t } = useTranslation('auth');
  const [sessionsVersion, setSessionsVersion] = useState(0);
  const services = { api, refreshSession, bus };

  if (!session) {
    return (
      <div className="card" data-testid="account">
        <p>{t('account.signedOut')}</p>
        <Link to={signInPath('/account')}>{t('account.signIn')}</Link>
      </div>
    );
  }
  if (session.mustChangePassword) {
    // Everything else answers 403 until the password is changed: only what works is shown.
    return (
      <div data-testid="account" style={{ display: 'grid', gap: 16 }}>
        <h1>{t('account.title')}</h1>
        <div className="card" role="alert" data-testid="must-change-password">
          <strong>{t('account.mustChangeTitle')}</strong>
          <p>{t('account.mustChangeBody')}</p>
        </div>
        <ChangePasswordForm services={services} onChanged={() => setSessionsVersion((n) => n + 1)} />
        <SignOutButton services={services} onSignedOut={() => navigate('/login')} />
      </div>
    );
  }
  return (
    <div data-testid="account" style={{ display: 'grid', gap: 16 }}>
      <h1>{t('account.title')}</h1>
      <ProfileCard user={session.user} />
      <ChangePasswordForm services={services} onChanged={() => setSessionsVersion((n) => n + 1)} />
      <SessionList api={api} locale={locale} version={sessionsVersion} />
      <AccessTokenList api={api} locale={locale} />
      <SignOutButton services={services} onSignedOut={() => navigate('/login')} />
    </div>
  );
}
