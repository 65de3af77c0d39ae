import { useTranslation } from 'react-i18next';

interface AgentLockedNoticeProps {
  /** The chat's current agent, as shown to the reader. */
  agentName: string;
  /** The default agent, as shown to the reader. */
  defaultName: string;
  busy: boolean;
  onContinue(): void;
}

/**
 * Shown in a chat whose agent needs `multi_agent` after the plan lost it (see `needsDefaultAgent`):
 * says why messages fail and offers the one switch the BFF still allows, back to the default agent.
 */
export function AgentLockedNotice({ agentName, defaultName, busy, onContinue }: AgentLockedNoticeProps) {
  const { t } = useTranslation('chat');
  return (
    <div className="chat-agent-locked" role="status" data-testid="agent-locked">
      <span>{t('agents.locked', { name: agentName })}</span>
      <button
        type="button"
        className="atrium-btn atrium-btn-secondary"
        data-testid="agent-locked-continue"
        disabled={busy}
        aria-busy={busy || undefined}
        onClick={onContinue}
      >
        {t('agents.continueWith', { name: defaultName })}
      </button>
    </div>
  );
}
