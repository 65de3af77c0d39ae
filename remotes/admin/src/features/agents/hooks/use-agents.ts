import type { Agent, ApiClient, ToolView } from '@atrium/contracts';
import { useCallback, useEffect, useState } from 'react';
import { listTools } from '../../tools/api.js';
import { listAgents } from '../api.js';

type AgentsState =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; agents: Agent[]; tools: ToolView[] };

/** The agents and the tools they may be given, as the BFF has them; `reload` after every change. */
export function useAgents(api: ApiClient) {
  const [state, setState] = useState<AgentsState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the reload trigger
  useEffect(() => {
    let cancelled = false;
    setState((current) => (current.status === 'ready' ? current : { status: 'loading' }));
    Promise.all([listAgents(api), listTools(api)]).then(
      ([agents, tools]) => !cancelled && setState({ status: 'ready', agents, tools }),
      (error: unknown) => !cancelled && setState({ status: 'failed', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, attempt]);

  return { state, reload: useCallback(() => setAttempt((n) => n + 1), []) };
}
