import type { ApiClient, AuditEntry } from '@atrium/contracts';
import { useCallback, useEffect, useState } from 'react';
import { type AuditFilters, fetchAuditPage } from '../api.js';

const pageSize = 50;

interface AuditLogState {
  entries: AuditEntry[];
  nextBefore: string | null;
  loading: boolean;
  error: unknown;
}

/** The first page for these filters; `loadOlder` appends the next, `reload` starts over. */
export function useAuditLog(api: ApiClient, filters: AuditFilters) {
  const [state, setState] = useState<AuditLogState>({ entries: [], nextBefore: null, loading: true, error: null });
  const [attempt, setAttempt] = useState(0);
  const { target, action } = filters;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the reload trigger
  useEffect(() => {
    let cancelled = false;
    setState({ entries: [], nextBefore: null, loading: true, error: null });
    fetchAuditPage(api, { target, action }, { limit: pageSize }).then(
      (page) => !cancelled && setState({ ...page, loading: false, error: null }),
      (error: unknown) => !cancelled && setState((current) => ({ ...current, loading: false, error })),
    );
    return () => {
      cancelled = true;
    };
  }, [api, target, action, attempt]);

  const loadOlder = useCallback(async () => {
    if (!state.nextBefore) return;
    setState((current) => ({ ...current, loading: true, error: null }));
    try {
      const page = await fetchAuditPage(api, { target, action }, { before: state.nextBefore, limit: pageSize });
      setState((current) => ({
        entries: [...current.entries, ...page.entries],
        nextBefore: page.nextBefore,
        loading: false,
        error: null,
      }));
    } catch (error) {
      setState((current) => ({ ...current, loading: false, error }));
    }
  }, [api, target, action, state.nextBefore]);

  return { ...state, loadOlder, reload: useCallback(() => setAttempt((n) => n + 1), []) };
}
