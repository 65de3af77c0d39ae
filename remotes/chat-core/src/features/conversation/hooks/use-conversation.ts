import type { ApiClient, ServerEvent, ServerEventStream } from '@atrium/contracts';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useLiveEvents } from '../../../ui/use-live-events.js';
import { listMessages, postMessage, regenerateAnswer, stopAnswer } from '../api.js';
import { conversationReducer, openConversation } from '../conversation-state.js';

export interface NewChat {
  /** Creates the chat a first message goes into; returns its id. */
  create(firstMessage: string): Promise<string>;
  /** Shows the chat once this conversation has adopted it. */
  open(chatId: string): void;
}

interface OlderState {
  loading: boolean;
  error: unknown;
}

/**
 * One chat's messages: loaded page by page from the BFF, reconciled with the tab's event
 * stream, plus what this tab is sending. The server stays the source of truth.
 */
export function useConversation(api: ApiClient, events: ServerEventStream, chatId: string | null, newChat: NewChat) {
  const [state, dispatch] = useReducer(conversationReducer, chatId, openConversation);
  const [older, setOlder] = useState<OlderState>({ loading: false, error: null });
  const [actionError, setActionError] = useState<unknown>(null);
  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
  });

  const onEvent = useCallback((event: ServerEvent) => dispatch({ type: 'event', event }), []);
  const { load: attempt, reload } = useLiveEvents(events, onEvent);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the retry trigger
  useEffect(() => {
    // A chat this conversation just created keeps the message being sent into it.
    if (latest.current.chatId !== chatId) dispatch({ type: 'open', chatId });
    setOlder({ loading: false, error: null });
    setActionError(null);
    if (!chatId) return;
    let cancelled = false;
    listMessages(api, chatId).then(
      (page) => !cancelled && dispatch({ type: 'loaded', chatId, page }),
      (error: unknown) => !cancelled && dispatch({ type: 'loadFailed', chatId, error }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, chatId, attempt]);

  // A running answer misses deltas the stream skipped: its text stays as it is until the page is read again.
  useEffect(() => {
    if (state.refetch) reload();
  }, [state.refetch, reload]);

  const loadOlder = useCallback(() => {
    const { chatId: current, olderCursor } = latest.current;
    if (!current || !olderCursor || older.loading) return;
    setOlder({ loading: true, error: null });
    listMessages(api, current, olderCursor).then(
      (page) => {
        dispatch({ type: 'olderLoaded', chatId: current, page });
        setOlder({ loading: false, error: null });
      },
      (error: unknown) => setOlder({ loading: false, error }),
    );
  }, [api, older.loading]);

  const deliver = useCallback(
    async (key: string, content: string) => {
      try {
        let target = latest.current.chatId;
        if (!target) {
          target = await newChat.create(content);
          dispatch({ type: 'adopt', chatId: target });
          newChat.open(target);
        }
        const { message, answer } = await postMessage(api, target, content, key);
        dispatch({ type: 'sent', key, message, answer });
      } catch (error) {
        dispatch({ type: 'sendFailed', key, error });
      }
    },
    [api, newChat],
  );

  const send = useCallback(
    (content: string) => {
      const key = crypto.randomUUID();
      dispatch({ type: 'sending', key, content, at: new Date().toISOString() });
      void deliver(key, content);
    },
    [deliver],
  );

  const retrySend = useCallback(
    (key: string) => {
      const message = latest.current.messages.find((m) => m.id === key && m.outgoing);
      if (!message) return;
      dispatch({ type: 'retrying', key });
      void deliver(key, message.content);
    },
    [deliver],
  );

  const answerAction = useCallback(
    async (action: typeof stopAnswer) => {
      const current = latest.current.chatId;
      if (!current) return;
      setActionError(null);
      try {
        dispatch({ type: 'answer', answer: await action(api, current) });
      } catch (error) {
        setActionError(error);
      }
    },
    [api],
  );

  return {
    state,
    older,
    actionError,
    reload,
    loadOlder,
    send,
    retrySend,
    discard: useCallback((key: string) => dispatch({ type: 'discard', key }), []),
    stop: useCallback(() => void answerAction(stopAnswer), [answerAction]),
    regenerate: useCallback(() => void answerAction(regenerateAnswer), [answerAction]),
  };
}
