import type { RemoteName, ServerEventStream } from '@atrium/contracts';
import { useEffect, useRef } from 'react';

/**
 * Calls `onChanged` when the registry announces a release change (from this UI, the CLI or an
 * auto-rollback) for `remote`, or for any remote when none is given.
 */
export function useReleaseChanged(events: ServerEventStream, remote: RemoteName | null, onChanged: () => void) {
  const latest = useRef(onChanged);
  latest.current = onChanged;
  useEffect(
    () =>
      events.subscribe((event) => {
        if (event.type === 'release.changed' && (remote === null || event.remote === remote)) latest.current();
      }),
    [events, remote],
  );
}
