import type { ApiClient, Citation, ServerEventStream } from '@atrium/contracts';
import { Button, ErrorNotice } from '@atrium/shared';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { activeAnswer, isFinished, type ShownMessage } from '../conversation-state.js';
import { useScrollAnchor } from '../hooks/use-scroll-anchor.js';
import { MessageItem } from './message-item.js';
import { SourceDialog } from './source-dialog.js';

interface MessageListProps {
  /** Opens cited passages (`GET /api/documents/:id/passages/:chunkId`). */
  api: ApiClient;
  /** Draft cards in answers follow `draft.updated`. */
  events: ServerEventStream;
  messages: ShownMessage[];
  hasOlder: boolean;
  older: { loading: boolean; error: unknown };
  onLoadOlder(): void;
  onRegenerate(): void;
  onRetrySend(key: string): void;
  onDiscard(key: string): void;
}

export function MessageList({ api, events, messages, hasOlder, older, onLoadOlder, ...actions }: MessageListProps) {
  const { t } = useTranslation('chat');
  // One dialog for the whole list: the citation being read, null when none is.
  const [openSource, setOpenSource] = useState<Citation | null>(null);
  const errorMessage = useErrorMessage();
  const scroller = useRef<HTMLDivElement>(null);
  const { onScroll, away, toBottom } = useScrollAnchor(scroller, messages[0]?.id, hasOlder ? onLoadOlder : noop);
  const last = messages.at(-1);
  const regenerable = !activeAnswer(messages) && last?.role === 'assistant' && isFinished(last) ? last.id : null;

  return (
    <div className="chat-scroll-area">
      <div ref={scroller} className="chat-scroller" onScroll={onScroll}>
        {hasOlder ? (
          <div className="chat-older">
            {older.error ? (
              <ErrorNotice
                title={t('conversation.loadOlderFailed')}
                onRetry={onLoadOlder}
                retryLabel={t('errors.retry')}
              >
                {errorMessage(older.error)}
              </ErrorNotice>
            ) : (
              <Button variant="secondary" onClick={onLoadOlder} disabled={older.loading} data-testid="load-older">
                {older.loading ? t('conversation.loadingOlder') : t('conversation.loadOlder')}
              </Button>
            )}
          </div>
        ) : null}
        <ol className="chat-messages" data-testid="message-list" aria-label={t('conversation.messages')}>
          {messages.map((message) => (
            <MessageItem
              key={message.id}
              api={api}
              events={events}
              message={message}
              canRegenerate={message.id === regenerable}
              onRegenerate={actions.onRegenerate}
              onRetrySend={actions.onRetrySend}
              onDiscard={actions.onDiscard}
              onOpenSource={setOpenSource}
            />
          ))}
        </ol>
      </div>
      {away ? (
        <Button variant="secondary" className="chat-jump" onClick={toBottom}>
          {t('conversation.jumpToLatest')}
        </Button>
      ) : null}
      <SourceDialog api={api} citation={openSource} onClose={() => setOpenSource(null)} />
    </div>
  );
}

function noop() {}
