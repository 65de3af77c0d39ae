import type { ApiClient } from '@atrium/contracts';
import { listDeployTokens } from '../api.js';
import { useServerState } from './use-server-state.js';

export function useDeployTokens(api: ApiClient) {
  return useServerState(() => listDeployTokens(api), 'deploy-tokens');
}
