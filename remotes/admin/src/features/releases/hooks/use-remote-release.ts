import type { ApiClient, RemoteName, ServerEventStream } from '@atrium/contracts';
import { useCallback } from 'react';
import { fetchRemoteStatus } from '../api.js';
import { useHistory } from './use-history.js';
import { useReleaseChanged } from './use-release-changed.js';
import { useServerState } from './use-server-state.js';

/** One remote's status and history, refetched whenever its release changes (here, in the CLI, or by itself). */
export function useRemoteRelease(api: ApiClient, events: ServerEventStream, remote: RemoteName) {
  const { state, reload: reloadStatus } = useServerState(() => fetchRemoteStatus(api, remote), remote);
  const history = useHistory(api, remote);
  const reloadHistory = history.reload;
  const reload = useCallback(() => {
    reloadStatus();
    reloadHistory();
  }, [reloadStatus, reloadHistory]);
  useReleaseChanged(events, remote, reload);
  return { state, history, reload };
}
