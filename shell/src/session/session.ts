import {
  type ApiClient,
  csrfResponseSchema,
  type MeResponse,
  meResponseSchema,
  remoteMapSchema,
} from '@atrium/contracts';
import { ApiRequestError } from '@atrium/shared';
import type { ShellStore } from './store.js';

/** Re-reads the session, and the remote map that depends on who is signed in. */
export async function refreshSession(api: ApiClient, store: ShellStore): Promise<MeResponse | null> {
  let me: MeResponse | null;
  try {
    me = await api.get('/api/me', meResponseSchema);
  } catch (error) {
    if (!(error instanceof ApiRequestError) || error.status !== 401) throw error;
    me = null;
  }
  const csrfToken = me ? me.csrfToken : (await api.get('/api/auth/csrf', csrfResponseSchema)).csrfToken;
  const remotes = await api.get('/api/remotes', remoteMapSchema);
  store.setState({ me, csrfToken, remotes });
  return me;
}

/**
 * Re-reads `/api/me` only (plan, paid features, flags changed): the remotes re-render with the new
 * session. Signed out meanwhile (401): the whole session is read again, as after a sign-out.
 */
export async function refreshMe(api: ApiClient, store: ShellStore): Promise<void> {
  try {
    store.setState({ me: await api.get('/api/me', meResponseSchema) });
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 401) await refreshSession(api, store);
    else throw error;
  }
}

/** Re-reads this user's remote map after a release change; a failure keeps the current map. */
export async function refreshRemoteMap(api: ApiClient, store: ShellStore): Promise<void> {
  try {
    store.setState({ remotes: await api.get('/api/remotes', remoteMapSchema) });
  } catch {
    // The next release event, or the next page load, brings the map.
  }
}
