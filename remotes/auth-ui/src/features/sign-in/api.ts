import { type MountProps, meResponseSchema, type SignInRequest } from '@atrium/contracts';

type SessionServices = Pick<MountProps, 'api' | 'refreshSession' | 'bus'>;

/** Signs in, then lets the shell re-read the session (CSRF token, remote map) and tells the other remotes. */
export async function signIn({ api, refreshSession, bus }: SessionServices, body: SignInRequest): Promise<void> {
  await api.send('POST', '/api/auth/sign-in', body, meResponseSchema);
  await refreshSession();
  bus.emit('session.changed', { signedIn: true });
}
