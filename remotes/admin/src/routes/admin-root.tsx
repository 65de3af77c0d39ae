import { type MountProps, type Permission, roleHas } from '@atrium/contracts';
import { EmptyState, Spinner } from '@atrium/shared';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Route, Routes } from 'react-router';
import { AdminStyles } from '../styles.js';
import { AdminOverview, type Section } from './admin-overview.js';
import { AgentsPage } from './agents-page.js';
import { ApprovalsPage } from './approvals-page.js';
import { AuditPage } from './audit-page.js';
import { FlagsPage } from './flags-page.js';
import { PlansPage } from './plans-page.js';
import { ReleasesPage } from './releases-page.js';
import { ToolsPage } from './tools-page.js';
import { UsersPage } from './users-page.js';

/** Its own chunk, with the chart library: loaded only when the dashboards are opened. */
const DashboardsPage = lazy(() => import('./dashboards-page.js'));

/** Each section and the permission it needs: an approver sees Approvals only, an admin everything. */
const sectionPermissions: Record<Section, Permission> = {
  approvals: 'drafts:decide',
  users: 'users:manage',
  plans: 'billing:manage',
  releases: 'releases:read',
  tools: 'tools:read',
  agents: 'agents:manage',
  flags: 'flags:manage',
  audit: 'audit:read',
  dashboards: 'dashboards:read',
};

/** Links are absolute from `basePath`: relative links inside a splat route resolve against the splat. */
export function AdminRoot(props: MountProps) {
  const { t } = useTranslation('admin');
  const { basePath, session } = props;
  const sections = (Object.keys(sectionPermissions) as Section[]).filter(
    (section) => session !== null && roleHas(session.user.role, sectionPermissions[section]),
  );
  return (
    <div className="card admin-root" data-testid="admin-home">
      <AdminStyles />
      <h1>{t('title')}</h1>
      <nav aria-label={t('nav.label')}>
        <NavLink to={basePath} end>
          {t('nav.overview')}
        </NavLink>
        {sections.map((section) => (
          <NavLink key={section} to={`${basePath}/${section}`}>
            {t(`nav.${section}`)}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={<AdminOverview basePath={basePath} sections={sections} />} />
        <Route path="users" element={<UsersPage {...props} />} />
        <Route path="plans" element={<PlansPage {...props} />} />
        <Route path="releases/*" element={<ReleasesPage {...props} />} />
        <Route path="tools" element={<ToolsPage {...props} />} />
        <Route path="agents" element={<AgentsPage {...props} />} />
        <Route path="flags" element={<FlagsPage {...props} />} />
        <Route path="audit" element={<AuditPage {...props} />} />
        <Route path="approvals" element={<ApprovalsPage {...props} />} />
        <Route
          path="dashboards"
          element={
            <Suspense fallback={<Spinner label={t('dashboards.loading')} />}>
              <DashboardsPage {...props} />
            </Suspense>
          }
        />
        <Route path="*" element={<EmptyState title={t('notFound')} />} />
      </Routes>
    </div>
  );
}
