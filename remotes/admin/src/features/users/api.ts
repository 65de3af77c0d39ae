import {
  type ApiClient,
  type CreateUserRequest,
  deleteUserResponseSchema,
  type ManagedUser,
  type Role,
  resetPasswordResponseSchema,
  userListResponseSchema,
  userResponseSchema,
} from '@atrium/contracts';

export async function listUsers(api: ApiClient): Promise<ManagedUser[]> {
  const { users } = await api.get('/api/users', userListResponseSchema);
  return users;
}

export async function createUser(api: ApiClient, body: CreateUserRequest): Promise<ManagedUser> {
  const { user } = await api.send('POST', '/api/users', body, userResponseSchema);
  return user;
}

/** Ends the user's sign-in lock (and every client's failure count for them) now; audited by the BFF. */
export async function unlockSignIn(api: ApiClient, id: string, reason?: string): Promise<ManagedUser> {
  const body = reason ? { reason } : {};
  const { user } = await api.send('POST', `/api/users/${encodeURIComponent(id)}/unlock`, body, userResponseSchema);
  return user;
}

/** The BFF ends the user's sessions when the role changes, so they sign in under the new permissions. */
export async function changeRole(api: ApiClient, id: string, role: Role): Promise<ManagedUser> {
  const { user } = await api.send('PATCH', `/api/users/${encodeURIComponent(id)}`, { role }, userResponseSchema);
  return user;
}

const userPath = (id: string, action: string) => `/api/users/${encodeURIComponent(id)}/${action}`;

/** Sign-in refused, sessions ended, access tokens stop working. */
export async function disableUser(api: ApiClient, id: string, reason: string): Promise<ManagedUser> {
  return (await api.send('POST', userPath(id, 'disable'), { reason }, userResponseSchema)).user;
}

export async function enableUser(api: ApiClient, id: string, reason: string): Promise<ManagedUser> {
  return (await api.send('POST', userPath(id, 'enable'), { reason }, userResponseSchema)).user;
}

/** The temporary password, in this answer only; the user must change it after signing in. */
export async function resetPassword(api: ApiClient, id: string, reason: string): Promise<string> {
  return (await api.send('POST', userPath(id, 'reset-password'), { reason }, resetPasswordResponseSchema))
    .temporaryPassword;
}

export async function revokeSessions(api: ApiClient, id: string, reason: string): Promise<ManagedUser> {
  return (await api.send('POST', userPath(id, 'sessions/revoke'), { reason }, userResponseSchema)).user;
}

/** What was deleted, and how many shared documents were kept (now owned by the deleting admin). */
export async function deleteUser(api: ApiClient, id: string, reason: string) {
  return (await api.send('DELETE', `/api/users/${encodeURIComponent(id)}`, { reason }, deleteUserResponseSchema))
    .deleted;
}
