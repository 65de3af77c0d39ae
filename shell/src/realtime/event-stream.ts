import type { ServerEvent, ServerEventStream } from '@atrium/contracts';
import { serverEventTypes } from '@atrium/contracts/values';

type State = ReturnType<ServerEventStream['state']>;

const knownTypes: ReadonlySet<unknown> = new Set(serverEventTypes);

/**
 * The event in one SSE message's data, or null when it is not an object whose `type` is one of
 * `serverEventTypes` (an event a newer BFF added): those are ignored, as before. The rest of an
 * event is the BFF's own, written from `serverEventSchema`, and not checked again here.
 */
export function readServerEvent(data: unknown): ServerEvent | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  return knownTypes.has((data as { type?: unknown }).type) ? (data as ServerEvent) : null;
}

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
    const event = readServerEvent(JSON.parse(message.data));
    if (!event) return;
    for (const handler of handlers) handler(event);
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
