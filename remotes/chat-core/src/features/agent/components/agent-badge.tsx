import type { ApiClient, ServerEventStream } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';
import { useAgentStatus } from '../hooks/use-agent-status.js';

export function AgentBadge({ api, events }: { api: ApiClient; events: ServerEventStream }) {
  const { t } = useTranslation('chat');
  const status = useAgentStatus(api, events);
  if (!status) return null;
  const retrievalOnly = status.mode === 'retrieval_only';
  return (
    <span
      className={`chat-badge ${retrievalOnly ? 'chat-badge-warn' : ''}`}
      data-testid="agent-badge"
      data-mode={status.mode}
      title={retrievalOnly ? t('agent.retrievalOnlyHint') : t('agent.model', { model: status.model ?? '' })}
    >
      {retrievalOnly ? t('agent.retrievalOnly') : (status.model ?? t('agent.unknownModel'))}
    </span>
  );
}
