import type { ApiClient, Draft, ServerEventStream } from '@atrium/contracts';
import { useCallback, useEffect, useState } from 'react';
import { fetchToolDraft, withdrawToolDraft } from '../tool-draft-api.js';

interface ToolDraftState {
  draft: Draft | null;
  loading: boolean;
  error: unknown;
}

/**
 * One tool draft, loaded once and kept live: `draft.updated` for it replaces what is shown, a
 * `resync` loads it again. `withdraw` takes it back (the server refuses unless it is the caller's and pending).
 */
export function useToolDraft(api: ApiClient, events: ServerEventStream, draftId: string) {
  const [state, setState] = useState<ToolDraftState>({ draft: null, loading: true, error: null });
  const [attempt, setAttempt] = useState(0);
  const [withdrawing, setWithdrawing] = useState<{ busy: boolean; error: unknown }>({ busy: false, error: null });

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the reload trigger
  useEffect(() => {
    let cancelled = false;
    setState((s) => ({ ...s, loading: true, error: null }));
    fetchToolDraft(api, draftId).then(
      ({ draft }) => !cancelled && setState({ draft, loading: false, error: null }),
      (error: unknown) => !cancelled && setState((s) => ({ ...s, loading: false, error })),
    );
    return () => {
      cancelled = true;
    };
  }, [api, draftId, attempt]);

  useEffect(
    () =>
      events.subscribe((event) => {
        if (event.type === 'resync') setAttempt((n) => n + 1);
        else if (event.type === 'draft.updated' && event.draft.id === draftId) {
          setState({ draft: event.draft, loading: false, error: null });
        }
      }),
    [events, draftId],
  );

  const withdraw = useCallback(async () => {
    setWithdrawing({ busy: true, error: null });
    try {
      const { draft } = await withdrawToolDraft(api, draftId);
      setState({ draft, loading: false, error: null });
      setWithdrawing({ busy: false, error: null });
    } catch (error) {
      setWithdrawing({ busy: false, error });
    }
  }, [api, draftId]);

  return { ...state, withdrawing, withdraw, reload: useCallback(() => setAttempt((n) => n + 1), []) };
}
