import type { ServerEvent, ServerEventStream } from '@atrium/contracts';

/** Events after which the caller's `/api/me` (plan, paid features, flags) is read again. */
const sessionEvents = new Set<ServerEvent['type']>(['entitlement.updated', 'flags.updated']);

/** How often `/api/me` is polled while the event stream is not open (ms; issue 11: 30 s). */
export const sessionPollMs = 30_000;

export interface LiveSessionOptions {
  events: Pick<ServerEventStream, 'subscribe' | 'state'>;
  /** Reads `/api/me` and puts it in the store. */
  refresh: () => Promise<unknown>;
  /** Only a signed-in tab polls. */
  signedIn: () => boolean;
  /** Only a visible tab polls (a hidden one catches up through the stream or its next poll once shown). */
  visible: () => boolean;
  pollMs?: number;
}

/**
 * Keeps the tab's session current when a plan, paid feature or flag changes: on
 * `entitlement.updated` or `flags.updated` it refetches `/api/me` (the event only says *that*
 * something changed; the BFF says what), and while the event stream is not open it polls every
 * `pollMs` instead. Refreshes never overlap: events arriving during one cause exactly one more.
 * Returns the function that stops it.
 */
export function followLiveSession(options: LiveSessionOptions): () => void {
  let running: Promise<void> | null = null;
  let again = false;

  const refresh = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = options
      .refresh()
      .then(
        () => undefined,
        () => undefined, // The next event or poll tries again.
      )
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          refresh();
        }
      });
  };

  const unsubscribe = options.events.subscribe((event) => {
    if (sessionEvents.has(event.type)) refresh();
  });
  const timer = setInterval(() => {
    if (options.events.state() !== 'open' && options.signedIn() && options.visible()) refresh();
  }, options.pollMs ?? sessionPollMs);

  return () => {
    unsubscribe();
    clearInterval(timer);
  };
}
