import type { ApiClient, HttpTool, ToolView } from '@atrium/contracts';
import { useCallback, useEffect, useState } from 'react';
import { listHttpTools, listTools } from '../api.js';

type ToolsState =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; tools: ToolView[]; httpTools: HttpTool[] };

/**
 * The tools and (for admins who may manage them) the HTTP tools' settings, as the BFF has them;
 * `reload` after every change instead of patching a local copy.
 */
export function useTools(api: ApiClient, canManage: boolean) {
  const [state, setState] = useState<ToolsState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the reload trigger
  useEffect(() => {
    let cancelled = false;
    setState((current) => (current.status === 'ready' ? current : { status: 'loading' }));
    Promise.all([listTools(api), canManage ? listHttpTools(api) : Promise.resolve([])]).then(
      ([tools, httpTools]) => !cancelled && setState({ status: 'ready', tools, httpTools }),
      (error: unknown) => !cancelled && setState({ status: 'failed', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, canManage, attempt]);

  return { state, reload: useCallback(() => setAttempt((n) => n + 1), []) };
}
