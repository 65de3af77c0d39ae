import type { ApiClient, ManagedUser, UserEntitlements } from '@atrium/contracts';
import { useCallback, useEffect, useState } from 'react';
import { listEntitlements, listUsers } from '../api.js';

export interface PlanRow {
  user: ManagedUser;
  entitlements: UserEntitlements;
}

type PlansState = { status: 'loading' } | { status: 'failed'; error: unknown } | { status: 'ready'; rows: PlanRow[] };

/** Each user with their entitlements, as the BFF has them; `reload` after every change. */
export function usePlans(api: ApiClient) {
  const [state, setState] = useState<PlansState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the reload trigger
  useEffect(() => {
    let cancelled = false;
    setState((current) => (current.status === 'ready' ? current : { status: 'loading' }));
    Promise.all([listUsers(api), listEntitlements(api)]).then(
      ([users, entitlements]) => {
        if (cancelled) return;
        const byUser = new Map(entitlements.map((e) => [e.userId, e]));
        const rows = users.flatMap((user) => {
          const own = byUser.get(user.id);
          return own ? [{ user, entitlements: own }] : [];
        });
        setState({ status: 'ready', rows });
      },
      (error: unknown) => !cancelled && setState({ status: 'failed', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, attempt]);

  return { state, reload: useCallback(() => setAttempt((n) => n + 1), []) };
}
