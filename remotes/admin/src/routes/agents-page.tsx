import type { MountProps } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';
import { AgentsManagement } from '../features/agents/components/agents-management.js';

/** `/admin/agents` (`agents:manage`): the agent profiles chats can choose from. */
export function AgentsPage({ api }: MountProps) {
  const { t } = useTranslation('admin');
  return (
    <section aria-labelledby="admin-agents-title" data-testid="admin-agents">
      <h2 id="admin-agents-title">{t('agents.title')}</h2>
      <AgentsManagement api={api} />
    </section>
  );
}
