import type { ApiClient, Chat } from '@atrium/contracts';
import { defaultAgentId } from '@atrium/contracts/values';
import { Button, EmptyState, ErrorNotice, Spinner } from '@atrium/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { ConfirmDialog } from '../../../ui/confirm-dialog.js';
import { deleteChat, renameChat } from '../api.js';
import type { ChatListState } from '../chat-list-state.js';

import { ChatListItem } from './chat-list-item.js';

interface ChatListProps {
  api: ApiClient;
  state: ChatListState;
  search: string;
  onSearch(q: string): void;
  currentId: string | null;
  basePath: string;
  onNewChat(): void;
  /** Agent id → shown name; a chat answered by any agent but the default says which. */
  agentNames?: ReadonlyMap<string, string>;
  onRetry(): void;
  onLoadMore(): void;
  onSaved(chat: Chat): void;
  onDeleted(chatId: string): void;
}

export function ChatList({
  api,
  state,
  search,
  onSearch,
  currentId,
  basePath,
  agentNames,
  ...handlers
}: ChatListProps) {
  const { t } = useTranslation('chat');
  const errorMessage = useErrorMessage();
  const [confirming, setConfirming] = useState<Chat | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function rename(chat: Chat, title: string): Promise<boolean> {
    setFailure(null);
    try {
      handlers.onSaved(await renameChat(api, chat.id, title));
      return true;
    } catch (error) {
      setFailure(`${t('list.renameFailed')}: ${errorMessage(error)}`);
      return false;
    }
  }

  async function remove(chat: Chat) {
    setDeleting(true);
    setFailure(null);
    try {
      await deleteChat(api, chat.id);
      handlers.onDeleted(chat.id);
    } catch (error) {
      setFailure(`${t('list.deleteFailed')}: ${errorMessage(error)}`);
    } finally {
      setDeleting(false);
      setConfirming(null);
    }
  }

  const { chats } = state;
  return (
    <nav className="chat-list-pane" aria-label={t('list.label')}>
      <div className="chat-list-tools">
        <input
          type="search"
          aria-label={t('list.search')}
          placeholder={t('list.searchPlaceholder')}
          value={search}
          onChange={(event) => onSearch(event.target.value)}
          data-testid="chat-search"
        />
        <Button onClick={handlers.onNewChat} data-testid="new-chat">
          {t('list.newChat')}
        </Button>
      </div>
      {failure ? (
        <p role="alert" className="chat-message-error">
          {failure}
        </p>
      ) : null}
      {state.status === 'loading' && chats.length === 0 ? <Spinner label={t('list.loading')} /> : null}
      {state.status === 'failed' ? (
        <ErrorNotice title={t('list.loadFailed')} onRetry={handlers.onRetry} retryLabel={t('errors.retry')}>
          {errorMessage(state.error)}
        </ErrorNotice>
      ) : null}
      {state.status === 'ready' && chats.length === 0 ? (
        <EmptyState title={state.q ? t('list.noResults', { q: state.q }) : t('empty')} />
      ) : null}
      <ul className="chat-list" data-testid="chat-list">
        {chats.map((chat) => (
          <ChatListItem
            key={chat.id}
            chat={chat}
            href={`${basePath}/${chat.id}`}
            current={chat.id === currentId}
            agentName={chat.agentId === defaultAgentId ? null : (agentNames?.get(chat.agentId) ?? chat.agentId)}
            onRename={(title) => rename(chat, title)}
            onDelete={() => setConfirming(chat)}
          />
        ))}
      </ul>
      {state.nextCursor ? (
        <Button variant="secondary" onClick={handlers.onLoadMore} disabled={state.loadingMore}>
          {t('list.loadMore')}
        </Button>
      ) : null}
      <ConfirmDialog
        open={confirming !== null}
        title={t('list.deleteTitle')}
        body={t('list.deleteBody', { title: confirming?.title ?? t('list.untitled') })}
        confirmLabel={t('list.delete')}
        cancelLabel={t('list.cancel')}
        busy={deleting}
        onConfirm={() => confirming && void remove(confirming)}
        onCancel={() => setConfirming(null)}
      />
    </nav>
  );
}
