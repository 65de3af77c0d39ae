import { useCallback, useEffect, useState } from 'react';

export type Loaded<T> = { status: 'loading' } | { status: 'failed'; error: unknown } | { status: 'ready'; data: T };

/**
 * One dashboard panel's data, fetched again when `key` changes (the range, a grouping) or on
 * `reload`; a failure is kept for the panel to show with a retry, never thrown.
 */
export function useDashboardData<T>(load: () => Promise<T>, key: string) {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` and `attempt` decide when to load; `load` is rebuilt each render
  useEffect(() => {
    let cancelled = false;
    setState({ status: 'loading' });
    load().then(
      (data) => !cancelled && setState({ status: 'ready', data }),
      (error: unknown) => !cancelled && setState({ status: 'failed', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [key, attempt]);
  return { state, reload: useCallback(() => setAttempt((n) => n + 1), []) };
}
