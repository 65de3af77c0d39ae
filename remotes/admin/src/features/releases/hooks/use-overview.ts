import type { ApiClient } from '@atrium/contracts';
import { fetchHistory, fetchOverview } from '../api.js';
import { useServerState } from './use-server-state.js';

/** Every remote's status with its newest history entry (to tell an auto-rollback apart). */
async function loadOverview(api: ApiClient) {
  const remotes = await fetchOverview(api);
  return Promise.all(
    remotes.map(async (status) => {
      const [newest] = await fetchHistory(api, status.release.remote, { limit: 1 });
      return { status, newest };
    }),
  );
}

export function useOverview(api: ApiClient) {
  return useServerState(() => loadOverview(api), 'overview');
}
