import { type ChangePasswordRequest, type MountProps, okResponseSchema } from '@atrium/contracts';

type SessionServices = Pick<MountProps, 'api' | 'refreshSession' | 'bus'>;

/** The BFF signs out every other session of the user when the password changes. */
export async function changePassword({ api, refreshSession }: SessionServices, body: ChangePasswordRequest) {
  await api.send('POST', '/api/account/password', body, okResponseSchema);
  // The change already happened; if this re-read fails, the shell catches up on its next one.
  await refreshSession().catch(() => null);
}

export async function signOut({ api, refreshSession, bus }: SessionServices): Promise<void> {
  await api.send('POST', '/api/auth/sign-out', {}, okResponseSchema);
  await refreshSession();
  bus.emit('session.changed', { signedIn: false });
}
