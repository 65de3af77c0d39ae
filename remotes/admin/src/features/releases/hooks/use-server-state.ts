import { useCallback, useEffect, useState } from 'react';

export type ServerState<T> =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; data: T };

/**
 * Data as the BFF has it. `reload` after every change instead of patching a local copy; a reload
 * keeps showing the last answer until the new one arrives, so live refreshes don't flicker.
 */
export function useServerState<T>(load: () => Promise<T>, key: string) {
  const [state, setState] = useState<ServerState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what `load` reads; `attempt` is the reload trigger
  useEffect(() => {
    let cancelled = false;
    setState((current) => (current.status === 'ready' ? current : { status: 'loading' }));
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
