import type { ApiClient, Citation, ServerEventStream } from '@atrium/contracts';
import { Button } from '@atrium/shared';
import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useAnswerError, useErrorMessage } from '../../../i18n/error-message.js';
import { type CitationChips, Markdown, type MarkdownLabels } from '../../../markdown/markdown.js';
import { isFinished, type ShownMessage } from '../conversation-state.js';
import { AnswerSteps } from './answer-steps.js';
import { SourceList } from './source-list.js';

interface MessageItemProps {
  /** For the answer's draft cards (read and withdraw a draft, live through `draft.updated`). */
  api: ApiClient;
  events: ServerEventStream;
  message: ShownMessage;
  /** Only the newest finished answer offers Regenerate. */
  canRegenerate: boolean;
  onRegenerate(): void;
  onRetrySend(key: string): void;
  onDiscard(key: string): void;
  /** A citation chip or source was activated; should keep its identity between renders. */
  onOpenSource(citation: Citation): void;
}

/** Answer statuses said in words beside the author (the rest show as text, an error or nothing). */
const statusBadges = ['retrieving', 'calling_tool', 'awaiting_approval', 'interrupted', 'stopped'] as const;
type BadgeStatus = (typeof statusBadges)[number];
const hasBadge = (status: string): status is BadgeStatus => (statusBadges as readonly string[]).includes(status);

export const MessageItem = memo(function MessageItem({
  api,
  events,
  message,
  canRegenerate,
  onRegenerate,
  onRetrySend,
  onDiscard,
  onOpenSource,
}: MessageItemProps) {
  const { t } = useTranslation('chat');
  const errorMessage = useErrorMessage();
  const answerError = useAnswerError();
  // Kept between renders: finished Markdown blocks re-render only when the labels change.
  const labels = useMemo<MarkdownLabels>(
    () => ({ copy: t('code.copy'), copied: t('code.copied'), copyFailed: t('code.copyFailed'), code: t('code.plain') }),
    [t],
  );
  // Kept between renders too: a new map would render every Markdown block again.
  const chips = useMemo<CitationChips | undefined>(() => {
    if (message.citations.length === 0) return undefined;
    const byN = new Map(message.citations.map((citation) => [citation.n, citation]));
    return {
      names: new Map(message.citations.map((c) => [c.n, t('sources.chip', { n: c.n, title: c.documentTitle })])),
      onCite: (n) => {
        const citation = byN.get(n);
        if (citation) onOpenSource(citation);
      },
    };
  }, [message.citations, onOpenSource, t]);
  const fromUser = message.role === 'user';
  const writing = !fromUser && !isFinished(message);
  const status = message.outgoing ? (message.outgoing.failed ? 'failed' : 'pending') : message.status;

  return (
    <li
      className={`chat-message chat-message-${message.role} ${writing ? 'chat-message-writing' : ''}`}
      data-testid="message"
      data-message-id={message.id}
      data-role={message.role}
      data-status={status}
    >
      <div className="chat-message-meta">
        <span className="chat-message-author">{fromUser ? t('conversation.you') : t('conversation.assistant')}</span>
        {message.mode === 'retrieval_only' ? (
          <span className="chat-badge chat-badge-warn">{t('conversation.retrievalOnly')}</span>
        ) : null}
        {!fromUser && hasBadge(message.status) ? (
          <span
            className={`chat-badge ${message.status === 'awaiting_approval' ? 'chat-badge-warn' : ''}`}
            data-testid={message.status === 'stopped' ? 'stopped-label' : 'status-label'}
          >
            {t(`answerStatus.${message.status}`)}
          </span>
        ) : null}
      </div>
      <div
        className="chat-message-body"
        aria-live={writing ? 'polite' : undefined}
        aria-busy={message.status === 'pending' ? true : undefined}
      >
        {fromUser ? (
          <p className="chat-user-text">{message.content}</p>
        ) : message.content ? (
          <Markdown source={message.content} labels={labels} chips={chips} />
        ) : writing ? (
          <p className="chat-thinking">{t('conversation.thinking')}</p>
        ) : null}
      </div>
      {!fromUser ? <AnswerSteps api={api} events={events} steps={message.steps} /> : null}
      {!fromUser && isFinished(message) && message.citations.length > 0 ? (
        <SourceList citations={message.citations} onOpen={onOpenSource} />
      ) : null}
      {(message.status === 'failed' || message.status === 'interrupted') && message.error ? (
        <div role="alert" className="chat-message-error" data-testid="answer-error">
          <strong>{t('conversation.failed')}</strong> {answerError(message.error)}
        </div>
      ) : null}
      {message.outgoing ? (
        message.outgoing.failed ? (
          <div role="alert" className="chat-message-error">
            {t('conversation.sendFailed', { error: errorMessage(message.outgoing.failed) })}{' '}
            <Button variant="secondary" onClick={() => onRetrySend(message.id)}>
              {t('conversation.retrySend')}
            </Button>{' '}
            <Button variant="secondary" onClick={() => onDiscard(message.id)}>
              {t('conversation.discard')}
            </Button>
          </div>
        ) : (
          <span className="chat-message-sending">{t('conversation.sending')}</span>
        )
      ) : null}
      {canRegenerate ? (
        <div className="chat-message-actions">
          <Button variant="secondary" onClick={onRegenerate} data-testid="regenerate">
            {t('composer.regenerate')}
          </Button>
        </div>
      ) : null}
    </li>
  );
});
