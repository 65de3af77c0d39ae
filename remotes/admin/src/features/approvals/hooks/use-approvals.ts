import type { ApiClient, Draft, ServerEventStream } from '@atrium/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type ApprovalFilters, fetchApprovals } from '../api.js';

interface ApprovalsState {
  drafts: Draft[];
  nextCursor: string | null;
  loading: boolean;
  error: unknown;
}

const matches = (draft: Draft, filters: ApprovalFilters) =>
  (!filters.status || draft.status === filters.status) &&
  (!filters.risk || draft.risk === filters.risk) &&
  (!filters.tool || draft.tool === filters.tool);

/**
 * The approvals queue for these filters, kept live: a `draft.updated` replaces the draft shown
 * (or drops it when it no longer matches, a decided draft from the pending view), a new one that
 * matches is put first, and `resync` reloads. `loadMore` appends the next page.
 */
export function useApprovals(api: ApiClient, events: ServerEventStream, filters: ApprovalFilters) {
  const [state, setState] = useState<ApprovalsState>({ drafts: [], nextCursor: null, loading: true, error: null });
  const [attempt, setAttempt] = useState(0);
  const { status, risk, tool } = filters;
  const current = useRef(filters);
  current.current = filters;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the reload trigger
  useEffect(() => {
    let cancelled = false;
    setState({ drafts: [], nextCursor: null, loading: true, error: null });
    fetchApprovals(api, { status, risk, tool }).then(
      (page) => !cancelled && setState({ ...page, loading: false, error: null }),
      (error: unknown) => !cancelled && setState((s) => ({ ...s, loading: false, error })),
    );
    return () => {
      cancelled = true;
    };
  }, [api, status, risk, tool, attempt]);

  useEffect(
    () =>
      events.subscribe((event) => {
        if (event.type === 'resync') setAttempt((n) => n + 1);
        if (event.type !== 'draft.updated') return;
        const draft = event.draft;
        setState((s) => {
          const shown = s.drafts.some((d) => d.id === draft.id);
          const fits = matches(draft, current.current);
          if (shown) {
            const drafts = fits
              ? s.drafts.map((d) => (d.id === draft.id ? draft : d))
              : s.drafts.filter((d) => d.id !== draft.id);
            return { ...s, drafts };
          }
          return fits ? { ...s, drafts: [draft, ...s.drafts] } : s;
        });
      }),
    [events],
  );

  const loadMore = useCallback(async () => {
    if (!state.nextCursor) return;
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const page = await fetchApprovals(api, { status, risk, tool }, state.nextCursor);
      setState((s) => ({
        drafts: [...s.drafts, ...page.drafts],
        nextCursor: page.nextCursor,
        loading: false,
        error: null,
      }));
    } catch (error) {
      setState((s) => ({ ...s, loading: false, error }));
    }
  }, [api, status, risk, tool, state.nextCursor]);

  /** Shows the draft as the server answered a decision, before its event arrives. */
  const replace = useCallback((draft: Draft) => {
    setState((s) => ({
      ...s,
      drafts: matches(draft, current.current)
        ? s.drafts.map((d) => (d.id === draft.id ? draft : d))
        : s.drafts.filter((d) => d.id !== draft.id),
    }));
  }, []);

  return { ...state, loadMore, replace, reload: useCallback(() => setAttempt((n) => n + 1), []) };
}
