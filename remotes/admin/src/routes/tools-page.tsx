import { type MountProps, roleHas } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';
import { ToolsManagement } from '../features/tools/components/tools-management.js';

/** `/admin/tools`: the agent's tools, their risk and statistics; admins also configure HTTP tools. */
export function ToolsPage({ api, session, locale }: MountProps) {
  const { t } = useTranslation('admin');
  const canManage = session !== null && roleHas(session.user.role, 'tools:manage');
  return (
    <section aria-labelledby="admin-tools-title" data-testid="admin-tools">
      <h2 id="admin-tools-title">{t('tools.title')}</h2>
      <ToolsManagement api={api} locale={locale} canManage={canManage} />
    </section>
  );
}
