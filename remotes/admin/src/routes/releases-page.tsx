import { type MountProps, remoteAuditTarget, remoteNameSchema, roleHas } from '@atrium/contracts';
import { EmptyState } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Route, Routes, useParams } from 'react-router';
import { DeployTokens } from '../features/releases/components/deploy-tokens.js';
import { ReleaseOverview } from '../features/releases/components/release-overview.js';
import { RemoteReleaseView } from '../features/releases/components/remote-release-view.js';

/** `/admin/releases`: every remote at a glance, one remote's versions and history, deploy tokens (admins). */
export function ReleasesPage({ api, events, session, locale, basePath }: MountProps) {
  const { t } = useTranslation('admin');
  const base = `${basePath}/releases`;
  const canManageTokens = session !== null && roleHas(session.user.role, 'deploy_tokens:manage');
  const auditPath = session !== null && roleHas(session.user.role, 'audit:read') ? `${basePath}/audit` : null;
  return (
    <section aria-labelledby="admin-releases-title" data-testid="admin-releases">
      <h2 id="admin-releases-title">{t('releases.title')}</h2>
      <nav aria-label={t('releases.nav')} className="admin-subnav">
        <NavLink to={base} end>
          {t('releases.overviewLink')}
        </NavLink>
        {canManageTokens ? <NavLink to={`${base}/tokens`}>{t('releases.tokensLink')}</NavLink> : null}
      </nav>
      <Routes>
        <Route
          index
          element={
            <ReleaseOverview api={api} events={events} locale={locale} hrefOf={(remote) => `${base}/${remote}`} />
          }
        />
        <Route
          path="tokens"
          element={
            canManageTokens ? (
              <section aria-labelledby="admin-tokens-title">
                <h3 id="admin-tokens-title">{t('tokens.title')}</h3>
                <DeployTokens api={api} locale={locale} />
              </section>
            ) : (
              <p data-testid="tokens-admin-only">{t('tokens.adminOnly')}</p>
            )
          }
        />
        <Route path=":remote" element={<RemoteRoute {...{ api, events, locale, auditPath }} />} />
      </Routes>
    </section>
  );
}

type RemoteRouteProps = Omit<Parameters<typeof RemoteReleaseView>[0], 'remote'> & { auditPath: string | null };

function RemoteRoute({ auditPath, ...props }: RemoteRouteProps) {
  const { t } = useTranslation('admin');
  const { remote } = useParams();
  const parsed = remoteNameSchema.safeParse(remote);
  if (!parsed.success) return <EmptyState title={t('releases.unknownRemote', { remote })} />;
  return (
    <section aria-labelledby="admin-remote-title">
      <h3 id="admin-remote-title">{t('releases.remoteTitle', { remote: parsed.data })}</h3>
      {auditPath ? (
        <p>
          <Link to={`${auditPath}?${new URLSearchParams({ target: remoteAuditTarget(parsed.data) })}`}>
            {t('releases.auditTrail')}
          </Link>
        </p>
      ) : null}
      <RemoteReleaseView key={parsed.data} remote={parsed.data} {...props} />
    </section>
  );
}
