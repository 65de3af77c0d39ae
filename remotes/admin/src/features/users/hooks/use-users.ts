import type { ApiClient, ManagedUser } from '@atrium/contracts';
import { useCallback, useEffect, useState } from 'react';
import { listUsers } from '../api.js';

type UsersState =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; users: ManagedUser[] };

/** The user list as the BFF has it; `reload` after every change instead of patching a local copy. */
export function useUsers(api: ApiClient) {
  const [state, setState] = useState<UsersState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the reload trigger
  useEffect(() => {
    let cancelled = false;
    setState((current) => (current.status === 'ready' ? current : { status: 'loading' }));
    listUsers(api).then(
      (users) => !cancelled && setState({ status: 'ready', users }),
      (error: unknown) => !cancelled && setState({ status: 'failed', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, attempt]);

  return { state, reload: useCallback(() => setAttempt((n) => n + 1), []) };
}
