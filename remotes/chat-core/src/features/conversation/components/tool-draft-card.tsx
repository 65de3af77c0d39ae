import type { ApiClient, ServerEventStream } from '@atrium/contracts';
import { argumentsForDisplay, Button, ErrorNotice, escapeBidiControls, Spinner } from '@atrium/shared';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { levelStateKey } from '../draft-levels.js';
import { useToolDraft } from '../hooks/use-tool-draft.js';

interface ToolDraftCardProps {
  api: ApiClient;
  events: ServerEventStream;
  draftId: string;
}

/**
 * A write the assistant proposed: what will happen, its arguments, its risk, the approvals it
 * needs and has, and its status (live through `draft.updated`); the outcome once settled — why
 * it was rejected or expired, or what it did. A settled card shows undecided levels by the final
 * state (withdrawn, expired, not reached), never "waiting". The requester may withdraw it while it
 * waits, after confirming (focus moves to the confirm button; Esc or "Keep it" returns to Withdraw).
 */
export function ToolDraftCard({ api, events, draftId }: ToolDraftCardProps) {
  const { t } = useTranslation('chat');
  const errorMessage = useErrorMessage();
  const { draft, loading, error, withdrawing, withdraw, reload } = useToolDraft(api, events, draftId);
  const [confirming, setConfirming] = useState(false);
  const withdrawButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const card = useRef<HTMLElement>(null);
  const focusWithdraw = useRef(false);
  const pending = draft?.status === 'pending';
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (focusWithdraw.current) withdrawButton.current?.focus();
    focusWithdraw.current = false;
  }, [confirming]);
  // Settled while asking (withdrawn, or an approver decided, or it expired): the question no
  // longer applies; focus, which sat on its buttons, goes to the card that now shows the outcome.
  useEffect(() => {
    if (pending || !confirming) return;
    setConfirming(false);
    const active = document.activeElement;
    if (!active || active === document.body || card.current?.contains(active)) card.current?.focus();
  }, [pending, confirming]);
  function keep() {
    focusWithdraw.current = true;
    setConfirming(false);
  }
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
      ref={card}
      tabIndex={-1}
      className={`chat-tool-draft chat-tool-draft-${draft.status}`}
      data-testid="tool-draft"
      data-draft={draft.id}
      data-status={draft.status}
      aria-label={t('toolDraft.label')}
    >
      <header className="chat-tool-draft-head">
        <strong>{escapeBidiControls(draft.summary)}</strong>
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
            {t(`toolDraft.${levelStateKey(draft.status, level)}`)}
          </li>
        ))}
      </ol>
      <details>
        <summary>{t('toolDraft.arguments', { tool: escapeBidiControls(draft.tool) })}</summary>
        <pre className="chat-tool-args">{argumentsForDisplay(draft.arguments)}</pre>
      </details>
      {draft.outcome ? (
        <p className="chat-tool-draft-outcome" data-testid="tool-draft-outcome">
          {escapeBidiControls(draft.outcome.message)}
        </p>
      ) : null}
      {pending && !confirming ? (
        <div className="chat-message-actions">
          <Button
            ref={withdrawButton}
            variant="secondary"
            disabled={withdrawing.busy}
            onClick={() => setConfirming(true)}
            data-testid="withdraw-draft"
          >
            {t('toolDraft.withdraw')}
          </Button>
        </div>
      ) : null}
      {pending && confirming ? (
        <fieldset
          className="chat-tool-draft-confirm"
          onKeyDown={(event: KeyboardEvent) => {
            // Esc inside the question means "keep it", as in a dialog.
            if (event.key === 'Escape' && !withdrawing.busy) {
              event.preventDefault();
              keep();
            }
          }}
        >
          <legend>{t('toolDraft.withdrawConfirm')}</legend>
          <div className="chat-message-actions">
            <Button
              ref={confirmButton}
              variant="danger"
              disabled={withdrawing.busy}
              onClick={() => void withdraw()}
              data-testid="withdraw-draft-confirm"
            >
              {t('toolDraft.withdrawYes')}
            </Button>
            <Button variant="secondary" disabled={withdrawing.busy} onClick={keep}>
              {t('toolDraft.withdrawKeep')}
            </Button>
          </div>
        </fieldset>
      ) : null}
      {withdrawing.error ? (
        <p role="alert" className="chat-message-error">
          {errorMessage(withdrawing.error)}
        </p>
      ) : null}
    </section>
  );
}
