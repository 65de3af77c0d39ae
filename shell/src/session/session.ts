import type { ApiClient, CsrfResponse, MeResponse, RemoteMap } from '@atrium/contracts';
import { trustedResponse } from '@atrium/contracts/values';
import { ApiRequestError } from '@atrium/shared';
import type { ShellStore } from './store.js';

/** Re-reads the session, and the remote map that depends on who is signed in. */
export async function refreshSession(api: ApiClient, store: ShellStore): Promise<MeResponse | null> {
  let me: MeResponse | null;
  try {
    me = await api.get('/api/me', trustedResponse<MeResponse>());
  } catch (error) {
    if (!(error instanceof ApiRequestError) || error.status !== 401) throw error;
    me = null;
  }
  const csrfToken = me ? me.csrfToken : (await api.get('/api/auth/csrf', trustedResponse<CsrfResponse>())).csrfToken;
  const remotes = await api.get('/api/remotes', trustedResponse<RemoteMap>());
  store.setState({ me, csrfToken, remotes });
  return me;
}

/**
 * Re-reads `/api/me` only (plan, paid features, flags changed): the remotes re-render with the new
 * session. Signed out meanwhile (401): the whole session is read again, as after a sign-out.
 */
export async function refreshMe(api: ApiClient, store: ShellStore): Promise<void> {
  try {
    store.setState({ me: await api.get('/api/me', trustedResponse<MeResponse>()) });
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 401) await refreshSession(api, store);
    else throw error;
  }
}

/** Re-reads this user's remote map after a release change; a failure keeps the current map. */
export async function refreshRemoteMap(api: ApiClient, store: ShellStore): Promise<void> {
  try {
    store.setState({ remotes: await api.get('/api/remotes', trustedResponse<RemoteMap>()) });
  } catch {
    // The next release event, or the next page load, brings the map.
  }
}
