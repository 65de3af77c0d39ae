import type { ApiClient, SessionView } from '@atrium/contracts';
import { useCallback, useEffect, useState } from 'react';
import { listSessions } from '../api.js';

type SessionsState =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; sessions: SessionView[] };

/** The caller's sessions as the BFF reports them; `reload` after anything that may have ended one. */
export function useSessions(api: ApiClient, version: number) {
  const [state, setState] = useState<SessionsState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` and `attempt` are reload triggers
  useEffect(() => {
    let cancelled = false;
    setState((current) => (current.status === 'ready' ? current : { status: 'loading' }));
    listSessions(api).then(
      (sessions) => !cancelled && setState({ status: 'ready', sessions }),
      (error: unknown) => !cancelled && setState({ status: 'failed', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, version, attempt]);

  return { state, reload: useCallback(() => setAttempt((n) => n + 1), []) };
}
