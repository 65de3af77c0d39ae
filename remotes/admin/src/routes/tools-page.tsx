import { type MountProps, roleHas } from '@atrium/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { McpServersSection } from '../features/mcp-servers/components/mcp-servers-section.js';
import { ToolsManagement } from '../features/tools/components/tools-management.js';

/**
 * `/admin/tools`: the agent's tools, their risk and statistics; admins also configure HTTP tools
 * and register MCP servers (whose tools join the list, so a change there reloads it).
 */
export function ToolsPage({ api, session, locale }: MountProps) {
  const { t } = useTranslation('admin');
  const canManage = session !== null && roleHas(session.user.role, 'tools:manage');
  const [toolsVersion, setToolsVersion] = useState(0);
  return (
    <section aria-labelledby="admin-tools-title" data-testid="admin-tools">
      <h2 id="admin-tools-title">{t('tools.title')}</h2>
      <ToolsManagement key={toolsVersion} api={api} locale={locale} canManage={canManage} />
      {canManage ? <McpServersSection api={api} onChanged={() => setToolsVersion((n) => n + 1)} /> : null}
    </section>
  );
}
