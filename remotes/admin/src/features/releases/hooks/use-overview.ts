import type { ApiClient } from '@atrium/contracts';
import { fetchOverview } from '../api.js';
import { useServerState } from './use-server-state.js';

/** Every remote's status, each with its newest history entry (to tell an auto-rollback apart). */
export function useOverview(api: ApiClient) {
  return useServerState(() => fetchOverview(api), 'overview');
}
