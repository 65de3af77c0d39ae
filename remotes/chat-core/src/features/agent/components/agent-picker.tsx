import type { Agent } from '@atrium/contracts';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { agentLabel } from '../hooks/use-agents.js';

interface AgentPickerProps {
  agents: readonly Agent[];
  value: string;
  onChange(agentId: string): void;
  busy?: boolean;
}

/**
 * Which agent answers: a labelled native <select> (keyboard and screen readers work as
 * everywhere). Shown only to users with `multi_agent`; the BFF enforces it anyway (402).
 */
export function AgentPicker({ agents, value, onChange, busy = false }: AgentPickerProps) {
  const { t } = useTranslation('chat');
  const id = useId();
  const known = agents.some((agent) => agent.id === value);
  return (
    <span className="chat-agent-picker">
      <label htmlFor={id}>{t('agents.label')}</label>
      <select
        id={id}
        data-testid="agent-picker"
        value={value}
        disabled={busy}
        aria-busy={busy || undefined}
        onChange={(event) => onChange(event.target.value)}
      >
        {known ? null : <option value={value}>{value}</option>}
        {agents.map((agent) => (
          <option key={agent.id} value={agent.id} title={agent.description || undefined}>
            {agentLabel(agent, t)}
          </option>
        ))}
      </select>
    </span>
  );
}
