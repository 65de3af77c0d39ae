import type { ServerEvent, ServerEventStream } from '@atrium/contracts';
import { useCallback, useEffect, useState } from 'react';

/**
 * Calls `onFresh` each time the stream opens without a cursor to resume from: the first time
 * after a caller subscribed while it was not open, and after it was closed. Such a stream starts
 * at the server's head, so whatever changed between the caller's reads and that moment is in no
 * event it will deliver. A reconnect of an open stream resumes from its `Last-Event-ID` and
 * misses nothing. Returns the unsubscribe function.
 */
export function onFreshStream(events: ServerEventStream, onFresh: () => void): () => void {
  let resumable = events.state() === 'open';
  return events.onStateChange((state) => {
    if (state === 'open' && !resumable) onFresh();
    if (state === 'open') resumable = true;
    else if (state === 'closed') resumable = false;
  });
}

/**
 * Feeds every stream event to `onEvent`, and counts loads: the caller loads again each time the
 * counter moves. It moves on `resync` (the stream cannot say what changed), when the stream
 * opens fresh after the caller's first read (see `onFreshStream`), and on `reload`.
 */
export function useLiveEvents(events: ServerEventStream, onEvent: (event: ServerEvent) => void) {
  const [load, setLoad] = useState(0);
  const reload = useCallback(() => setLoad((n) => n + 1), []);
  useEffect(
    () => events.subscribe((event) => (event.type === 'resync' ? reload() : onEvent(event))),
    [events, onEvent, reload],
  );
  useEffect(() => onFreshStream(events, reload), [events, reload]);
  return { load, reload };
}
