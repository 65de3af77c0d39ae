import type { AccessToken, ApiClient } from '@atrium/contracts';
import { useCallback, useEffect, useState } from 'react';
import { listAccessTokens } from '../api.js';

type AccessTokensState =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; tokens: AccessToken[] };

/** The caller's access tokens as the BFF reports them; `reload` after a create or revoke. */
export function useAccessTokens(api: ApiClient) {
  const [state, setState] = useState<AccessTokensState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is a reload trigger
  useEffect(() => {
    let cancelled = false;
    setState((current) => (current.status === 'ready' ? current : { status: 'loading' }));
    listAccessTokens(api).then(
      (tokens) => !cancelled && setState({ status: 'ready', tokens }),
      (error: unknown) => !cancelled && setState({ status: 'failed', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, attempt]);

  return { state, reload: useCallback(() => setAttempt((n) => n + 1), []) };
}
