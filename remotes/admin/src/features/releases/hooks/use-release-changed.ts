import type { RemoteName, ServerEventStream } from '@atrium/contracts';
import { useEffect, useRef } from 'react';

/**
 * Calls `onChanged` whenever what the caller read about releases may be out of date: the
 * registry announced a change for `remote` (or any remote when none is given), the stream lost
 * events (`resync`), or the stream opened without a cursor after the caller subscribed (it starts
 * at the server's head, so a change between the caller's read and that moment is in no event; a
 * reconnect of an open stream resumes from its `Last-Event-ID`). Returns the unsubscribe function.
 */
export function followReleases(events: ServerEventStream, remote: RemoteName | null, onChanged: () => void) {
  let resumable = events.state() === 'open';
  const stopState = events.onStateChange((state) => {
    if (state === 'open' && !resumable) onChanged();
    if (state === 'open') resumable = true;
    else if (state === 'closed') resumable = false;
  });
  const stopEvents = events.subscribe((event) => {
    if (event.type === 'resync') onChanged();
    else if (event.type === 'release.changed' && (remote === null || event.remote === remote)) onChanged();
  });
  return () => {
    stopState();
    stopEvents();
  };
}

/** `followReleases` for a component: the latest `onChanged` is called. */
export function useReleaseChanged(events: ServerEventStream, remote: RemoteName | null, onChanged: () => void) {
  const latest = useRef(onChanged);
  latest.current = onChanged;
  useEffect(() => followReleases(events, remote, () => latest.current()), [events, remote]);
}
