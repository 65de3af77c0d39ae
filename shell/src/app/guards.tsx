import type { Permission } from '@atrium/contracts';
import { roleHas } from '@atrium/contracts/values';
import { ErrorNotice, signInPath } from '@atrium/shared';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation } from 'react-router';
import { useShellState } from './shell-context.js';

const accountPath = '/account';

/** Hides what a role can't use. The BFF still refuses the API calls: the UI never decides. */
export function RequirePermission({ permission, children }: { permission?: Permission; children: ReactNode }) {
  const me = useShellState((s) => s.me);
  const location = useLocation();
  const { t } = useTranslation('shell');
  if (!me) {
    return <Navigate to={signInPath(location.pathname + location.search)} replace />;
  }
  // After an admin's password reset the BFF allows nothing but the change (403
  // `auth.password_change_required`): every page leads to the account page's form until it is done.
  if (me.mustChangePassword && !location.pathname.startsWith(accountPath)) {
    return <Navigate to={accountPath} replace />;
  }
  if (permission && !roleHas(me.user.role, permission)) {
    return (
      <ErrorNotice title={t('forbidden.title')}>
        <p data-testid="forbidden">{t('forbidden.body')}</p>
      </ErrorNotice>
    );
  }
  return <>{children}</>;
}

export function Home() {
  const me = useShellState((s) => s.me);
  return <Navigate to={me ? '/chat' : '/login'} replace />;
}

export function NotFound() {
  const { t } = useTranslation('shell');
  return (
    <div className="not-found">
      <h1>{t('notFound.title')}</h1>
      <Link to="/">{t('notFound.home')}</Link>
    </div>
  );
}
