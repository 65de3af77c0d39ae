import type { ApiClient, McpServer } from '@atrium/contracts';
import { useCallback, useEffect, useState } from 'react';
import { listMcpServers } from '../api.js';

type McpServersState =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; servers: McpServer[] };

/** The registered MCP servers as the BFF has them; `reload` after every change. */
export function useMcpServers(api: ApiClient) {
  const [state, setState] = useState<McpServersState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the reload trigger
  useEffect(() => {
    let cancelled = false;
    setState((current) => (current.status === 'ready' ? current : { status: 'loading' }));
    listMcpServers(api).then(
      (servers) => !cancelled && setState({ status: 'ready', servers }),
      (error: unknown) => !cancelled && setState({ status: 'failed', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, attempt]);

  return { state, reload: useCallback(() => setAttempt((n) => n + 1), []) };
}
