import type { ApiClient, ServerEventStream } from '@atrium/contracts';
import { Button, ErrorNotice, Spinner } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { useToolDraft } from '../hooks/use-tool-draft.js';

interface ToolDraftCardProps {
  api: ApiClient;
  events: ServerEventStream;
  draftId: string;
}

/**
 * A write the assistant proposed: what will happen, its arguments, its risk, the approvals it
 * needs and has, and its status (live through `draft.updated`); the outcome once settled — why
 * it was rejected or expired, or what it did. The requester may withdraw it while it waits.
 */
export function ToolDraftCard({ api, events, draftId }: ToolDraftCardProps) {
  const { t } = useTranslation('chat');
  const errorMessage = useErrorMessage();
  const { draft, loading, error, withdrawing, withdraw, reload } = useToolDraft(api, events, draftId);
  if (!draft) {
    if (loading) return <Spinner label={t('toolDraft.loading')} />;
    return (
      <ErrorNotice title={t('toolDraft.loadFailed')} onRetry={reload} retryLabel={t('errors.retry')}>
        {errorMessage(error)}
      </ErrorNotice>
    );
  }
  const given = draft.levels.filter((level) => level.decision?.approve).length;
  return (
    <section
      className={`chat-tool-draft chat-tool-draft-${draft.status}`}
      data-testid="tool-draft"
      data-draft={draft.id}
      data-status={draft.status}
      aria-label={t('toolDraft.label')}
    >
      <header className="chat-tool-draft-head">
        <strong>{draft.summary}</strong>
        <span className={`chat-badge ${draft.risk === 'high' ? 'chat-badge-warn' : ''}`}>
          {t('toolDraft.risk', { risk: t(`risk.${draft.risk}`) })}
        </span>
        <span className="chat-badge" data-testid="tool-draft-status" aria-live="polite">
          {t(`draftStatus.${draft.status}`)}
        </span>
      </header>
      <p className="chat-tool-draft-approvals">{t('toolDraft.approvals', { given, needed: draft.levels.length })}</p>
      <ol className="chat-tool-draft-levels">
        {draft.levels.map((level, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: levels are positional and never reorder
          <li key={index}>
            {t('toolDraft.level', {
              level: index + 1,
              roles: level.roles.map((role) => t(`roles.${role}`)).join(t('toolDraft.or')),
            })}{' '}
            {level.decision
              ? t(level.decision.approve ? 'toolDraft.approved' : 'toolDraft.rejected')
              : t('toolDraft.waiting')}
          </li>
        ))}
      </ol>
      <details>
        <summary>{t('toolDraft.arguments', { tool: draft.tool })}</summary>
        <pre className="chat-tool-args">{JSON.stringify(draft.arguments, null, 2)}</pre>
      </details>
      {draft.outcome ? (
        <p className="chat-tool-draft-outcome" data-testid="tool-draft-outcome">
          {draft.outcome.message}
        </p>
      ) : null}
      {draft.status === 'pending' ? (
        <div className="chat-message-actions">
          <Button
            variant="secondary"
            disabled={withdrawing.busy}
            onClick={() => void withdraw()}
            data-testid="withdraw-draft"
          >
            {t('toolDraft.withdraw')}
          </Button>
        </div>
      ) : null}
      {withdrawing.error ? (
        <p role="alert" className="chat-message-error">
          {errorMessage(withdrawing.error)}
        </p>
      ) : null}
    </section>
  );
}
