import {
  type ApiClient,
  type CreateUserRequest,
  type ManagedUser,
  type Role,
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
export async function unlockSignIn(api: ApiClient, id: string): Promise<ManagedUser> {
  const { user } = await api.send('POST', `/api/users/${encodeURIComponent(id)}/unlock`, {}, userResponseSchema);
  return user;
}

/** The BFF ends the user's sessions when the role changes, so they sign in under the new permissions. */
export async function changeRole(api: ApiClient, id: string, role: Role): Promise<ManagedUser> {
  const { user } = await api.send('PATCH', `/api/users/${encodeURIComponent(id)}`, { role }, userResponseSchema);
  return user;
}
