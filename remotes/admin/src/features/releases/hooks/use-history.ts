import type { ApiClient, ReleaseHistoryEntry, RemoteName } from '@atrium/contracts';
import { useCallback, useEffect, useState } from 'react';
import { fetchHistory } from '../api.js';

const pageSize = 20;

interface HistoryState {
  entries: ReleaseHistoryEntry[];
  hasOlder: boolean;
  loading: boolean;
  error: unknown;
}

/** Newest first. `reload` refetches the first page (a change arrived); `loadOlder` appends the next. */
export function useHistory(api: ApiClient, remote: RemoteName) {
  const [state, setState] = useState<HistoryState>({ entries: [], hasOlder: false, loading: true, error: null });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the reload trigger
  useEffect(() => {
    let cancelled = false;
    setState((current) => ({ ...current, loading: true, error: null }));
    fetchHistory(api, remote, { limit: pageSize }).then(
      (entries) =>
        !cancelled && setState({ entries, hasOlder: entries.length === pageSize, loading: false, error: null }),
      (error: unknown) => !cancelled && setState((current) => ({ ...current, loading: false, error })),
    );
    return () => {
      cancelled = true;
    };
  }, [api, remote, attempt]);

  const loadOlder = useCallback(async () => {
    const before = state.entries.at(-1)?.id;
    setState((current) => ({ ...current, loading: true, error: null }));
    try {
      const older = await fetchHistory(api, remote, { before, limit: pageSize });
      setState((current) => ({
        entries: [...current.entries, ...older],
        hasOlder: older.length === pageSize,
        loading: false,
        error: null,
      }));
    } catch (error) {
      setState((current) => ({ ...current, loading: false, error }));
    }
  }, [api, remote, state.entries]);

  return { ...state, loadOlder, reload: useCallback(() => setAttempt((n) => n + 1), []) };
}
