import type { ApiClient, FeatureFlag, ServerEventStream } from '@atrium/contracts';
import { useCallback, useEffect, useState } from 'react';
import { listFlags, listUserEmails } from '../api.js';
import type { KnownUser } from '../targeting.js';

type FlagsState =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; flags: FeatureFlag[]; users: KnownUser[] };

/**
 * The flags as the BFF has them, and the accounts targeting can name. Reloads after every change
 * here and whenever another admin's change arrives (`flags.updated`) or the stream lost events.
 */
export function useFlags(api: ApiClient, events: ServerEventStream) {
  const [state, setState] = useState<FlagsState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the reload trigger
  useEffect(() => {
    let cancelled = false;
    setState((current) => (current.status === 'ready' ? current : { status: 'loading' }));
    Promise.all([listFlags(api), listUserEmails(api)]).then(
      ([flags, users]) => !cancelled && setState({ status: 'ready', flags, users }),
      (error: unknown) => !cancelled && setState({ status: 'failed', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, attempt]);

  useEffect(
    () =>
      events.subscribe((event) => {
        if (event.type === 'flags.updated' || event.type === 'resync') reload();
      }),
    [events, reload],
  );

  return { state, reload };
}
