import { type MountProps, roleHas } from '@atrium/contracts';
import { EmptyState } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import { NavLink, Route, Routes } from 'react-router';
import { AdminStyles } from '../styles.js';
import { AdminOverview } from './admin-overview.js';
import { AuditPage } from './audit-page.js';
import { ReleasesPage } from './releases-page.js';
import { ToolsPage } from './tools-page.js';
import { UsersPage } from './users-page.js';

/** Links are absolute from `basePath`: relative links inside a splat route resolve against the splat. */
export function AdminRoot(props: MountProps) {
  const { t } = useTranslation('admin');
  const { basePath, session } = props;
  const canReadAudit = session !== null && roleHas(session.user.role, 'audit:read');
  return (
    <div className="card admin-root" data-testid="admin-home">
      <AdminStyles />
      <h1>{t('title')}</h1>
      <nav aria-label={t('nav.label')}>
        <NavLink to={basePath} end>
          {t('nav.overview')}
        </NavLink>
        <NavLink to={`${basePath}/users`}>{t('nav.users')}</NavLink>
        <NavLink to={`${basePath}/releases`}>{t('nav.releases')}</NavLink>
        <NavLink to={`${basePath}/tools`}>{t('nav.tools')}</NavLink>
        {canReadAudit ? <NavLink to={`${basePath}/audit`}>{t('nav.audit')}</NavLink> : null}
      </nav>
      <Routes>
        <Route index element={<AdminOverview basePath={basePath} canReadAudit={canReadAudit} />} />
        <Route path="users" element={<UsersPage {...props} />} />
        <Route path="releases/*" element={<ReleasesPage {...props} />} />
        <Route path="tools" element={<ToolsPage {...props} />} />
        <Route path="audit" element={<AuditPage {...props} />} />
        <Route path="*" element={<EmptyState title={t('notFound')} />} />
      </Routes>
    </div>
  );
}
