import type { ApiClient, Chat, ServerEvent, ServerEventStream } from '@atrium/contracts';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { useLiveEvents } from '../../../ui/use-live-events.js';
import { listChats } from '../api.js';
import { chatListReducer, initialChatList } from '../chat-list-state.js';

/** The caller's chats for a search, kept current by chat events from any tab. */
export function useChatList(api: ApiClient, events: ServerEventStream, q: string) {
  const [state, dispatch] = useReducer(chatListReducer, initialChatList);
  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
  });

  const onEvent = useCallback((event: ServerEvent) => dispatch({ type: 'event', event }), []);
  const { load: attempt, reload } = useLiveEvents(events, onEvent);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the retry trigger
  useEffect(() => {
    dispatch({ type: 'search', q });
    listChats(api, { q }).then(
      (page) => dispatch({ type: 'loaded', q, page, more: false }),
      (error: unknown) => dispatch({ type: 'loadFailed', q, error, more: false }),
    );
  }, [api, q, attempt]);

  const loadMore = useCallback(() => {
    const { q: current, nextCursor, loadingMore } = latest.current;
    if (!nextCursor || loadingMore) return;
    dispatch({ type: 'loadingMore' });
    listChats(api, { q: current, cursor: nextCursor }).then(
      (page) => dispatch({ type: 'loaded', q: current, page, more: true }),
      (error: unknown) => dispatch({ type: 'loadFailed', q: current, error, more: true }),
    );
  }, [api]);

  return {
    state,
    retry: reload,
    loadMore,
    saved: useCallback((chat: Chat) => dispatch({ type: 'saved', chat }), []),
    removed: useCallback((chatId: string) => dispatch({ type: 'removed', chatId }), []),
  };
}
