import { type MeResponse, type MountProps, meResponseSchema, type SignInRequest } from '@atrium/contracts';

type SessionServices = Pick<MountProps, 'api' | 'refreshSession' | 'bus'>;

/**
 * Signs in, then lets the shell re-read the session (CSRF token, remote map) and tells the other
 * remotes. Resolves to the new session (`mustChangePassword`: the account page comes first).
 */
export async function signIn({ api, refreshSession, bus }: SessionServices, body: SignInRequest): Promise<MeResponse> {
  const me = await api.send('POST', '/api/auth/sign-in', body, meResponseSchema);
  await refreshSession();
  bus.emit('session.changed', { signedIn: true });
  return me;
}
