import { type ApiClient, type MeResponse, roleHas } from '@atrium/contracts';
import { useEffect, useMemo, useState } from 'react';
import { fetchUserNames } from '../api.js';

/**
 * Display names for the user ids the registry records. Everyone knows their own; administrators
 * can read the user list for the rest. Others see a short id (the registry API names no one).
 */
export function useActorNames(api: ApiClient, session: MeResponse | null): ReadonlyMap<string, string> {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const role = session?.user.role;
  useEffect(() => {
    if (!role || !roleHas(role, 'users:manage')) return;
    let cancelled = false;
    fetchUserNames(api).then(
      (found) => !cancelled && setNames(found),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [api, role]);
  const self = session?.user;
  return useMemo(() => (self ? new Map([...names, [self.id, self.displayName]]) : names), [names, self]);
}
