import { type ServerEvent, type ServerEventStream, serverEventSchema } from '@atrium/contracts';

type State = ReturnType<ServerEventStream['state']>;

/**
 * One `EventSource` per tab while signed in. The browser reconnects by itself and sends
 * `Last-Event-ID`, so the server replays whatever was missed; handlers see each event once.
 */
export function createEventStream(url = '/api/events'): ServerEventStream & { connect(): void; disconnect(): void } {
  const handlers = new Set<(event: ServerEvent) => void>();
  const stateHandlers = new Set<(state: State) => void>();
  let source: EventSource | null = null;
  let state: State = 'closed';

  const setState = (next: State) => {
    if (next === state) return;
    state = next;
    for (const handler of stateHandlers) handler(next);
  };

  const onMessage = (message: MessageEvent<string>) => {
    const parsed = serverEventSchema.safeParse(JSON.parse(message.data));
    if (!parsed.success) return;
    for (const handler of handlers) handler(parsed.data);
  };

  return {
    connect() {
      if (source) return;
      source = new EventSource(url, { withCredentials: true });
      setState('connecting');
      source.onopen = () => setState('open');
      source.onerror = () => setState(source?.readyState === EventSource.CLOSED ? 'closed' : 'connecting');
      source.onmessage = onMessage;
    },
    disconnect() {
      source?.close();
      source = null;
      setState('closed');
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    state: () => state,
    onStateChange(handler) {
      stateHandlers.add(handler);
      return () => stateHandlers.delete(handler);
    },
  };
}
