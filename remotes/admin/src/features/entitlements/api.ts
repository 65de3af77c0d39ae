import {
  type ApiClient,
  type ChangeEntitlementsRequest,
  type ManagedUser,
  type UserEntitlements,
  userEntitlementsListResponseSchema,
  userEntitlementsResponseSchema,
  userListResponseSchema,
} from '@atrium/contracts';

/** Every user's plan, overrides and effective features; `billing:manage`. */
export async function listEntitlements(api: ApiClient): Promise<UserEntitlements[]> {
  return (await api.get('/api/entitlements', userEntitlementsListResponseSchema)).entitlements;
}

/** The accounts, for names and emails beside the plans; `users:manage`. */
export async function listUsers(api: ApiClient): Promise<ManagedUser[]> {
  return (await api.get('/api/users', userListResponseSchema)).users;
}

/** Sets a user's plan and/or one feature override, with a reason (audited, pushed to the user's tabs). */
export async function changeEntitlements(
  api: ApiClient,
  userId: string,
  body: ChangeEntitlementsRequest,
): Promise<UserEntitlements> {
  return (
    await api.send('PUT', `/api/users/${encodeURIComponent(userId)}/entitlements`, body, userEntitlementsResponseSchema)
  ).entitlements;
}
