import type { ApiClient, Chat, ServerEventStream } from '@atrium/contracts';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { listChats } from '../api.js';
import { chatListReducer, initialChatList } from '../chat-list-state.js';

/** The caller's chats for a search, kept current by chat events from any tab. */
export function useChatList(api: ApiClient, events: ServerEventStream, q: string) {
  const [state, dispatch] = useReducer(chatListReducer, initialChatList);
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
  });

  // After `resync` the stream cannot say what changed: the chats are loaded again.
  useEffect(
    () =>
      events.subscribe((event) =>
        event.type === 'resync' ? setAttempt((n) => n + 1) : dispatch({ type: 'event', event }),
      ),
    [events],
  );

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
    retry: useCallback(() => setAttempt((n) => n + 1), []),
    loadMore,
    saved: useCallback((chat: Chat) => dispatch({ type: 'saved', chat }), []),
    removed: useCallback((chatId: string) => dispatch({ type: 'removed', chatId }), []),
  };
}
