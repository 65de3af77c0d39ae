import type { ServerEvent, ServerEventStream } from '@atrium/contracts';
import { useCallback, useEffect, useState } from 'react';

/**
 * Feeds every stream event to `onEvent`, and counts loads: after `resync` the stream cannot say
 * what changed, so the load counter moves and the caller loads again (as it does on `reload`).
 */
export function useLiveEvents(events: ServerEventStream, onEvent: (event: ServerEvent) => void) {
  const [load, setLoad] = useState(0);
  useEffect(
    () => events.subscribe((event) => (event.type === 'resync' ? setLoad((n) => n + 1) : onEvent(event))),
    [events, onEvent],
  );
  return { load, reload: useCallback(() => setLoad((n) => n + 1), []) };
}
