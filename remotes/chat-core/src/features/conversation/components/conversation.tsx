import type { ApiClient, ServerEventStream } from '@atrium/contracts';
import { EmptyState, ErrorNotice, Spinner } from '@atrium/shared';
import type { ReactNode, RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { isNotFound, useErrorMessage } from '../../../i18n/error-message.js';
import { activeAnswer } from '../conversation-state.js';
import { type NewChat, useConversation } from '../hooks/use-conversation.js';
import { Composer } from './composer.js';
import { MessageList } from './message-list.js';

interface ConversationProps {
  api: ApiClient;
  events: ServerEventStream;
  chatId: string | null;
  newChat: NewChat;
  /** The chat's title and actions, rendered by the page above the messages. */
  header: ReactNode;
  composerRef: RefObject<HTMLTextAreaElement | null>;
}

export function Conversation({ api, events, chatId, newChat, header, composerRef }: ConversationProps) {
  const { t } = useTranslation('chat');
  const errorMessage = useErrorMessage();
  const conversation = useConversation(api, events, chatId, newChat);
  const { state } = conversation;
  const answer = activeAnswer(state.messages);

  let body: ReactNode;
  if (state.deleted) body = <EmptyState title={t('conversation.deleted')} />;
  else if (state.load === 'failed') {
    body = isNotFound(state.loadError) ? (
      <EmptyState title={t('conversation.notFound')} />
    ) : (
      <ErrorNotice title={t('conversation.loadFailed')} onRetry={conversation.reload} retryLabel={t('errors.retry')}>
        {errorMessage(state.loadError)}
      </ErrorNotice>
    );
  } else if (state.load === 'loading' && state.messages.length === 0) {
    body = <Spinner label={t('conversation.loading')} />;
  } else if (state.messages.length === 0) {
    body = (
      <EmptyState title={t('conversation.start')}>
        <p>{t('conversation.startHint')}</p>
      </EmptyState>
    );
  } else {
    body = (
      <MessageList
        api={api}
        events={events}
        messages={state.messages}
        hasOlder={state.olderCursor !== null}
        older={conversation.older}
        onLoadOlder={conversation.loadOlder}
        onRegenerate={conversation.regenerate}
        onRetrySend={conversation.retrySend}
        onDiscard={conversation.discard}
      />
    );
  }

  const unavailable = state.deleted || state.load === 'failed';
  return (
    <section className="chat-conversation" aria-label={t('conversation.label')} data-testid="conversation">
      {header}
      <div className="chat-conversation-body">{body}</div>
      {conversation.actionError ? (
        <div role="alert" className="chat-message-error chat-action-error">
          {t('conversation.actionFailed', { error: errorMessage(conversation.actionError) })}
        </div>
      ) : null}
      <Composer
        inputRef={composerRef}
        answering={Boolean(answer)}
        disabled={unavailable}
        onSend={conversation.send}
        onStop={conversation.stop}
      />
    </section>
  );
}
