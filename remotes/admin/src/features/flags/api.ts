import {
  type ApiClient,
  type FeatureFlag,
  featureFlagListResponseSchema,
  featureFlagResponseSchema,
  type ToggleFeatureFlagRequest,
  userListResponseSchema,
} from '@atrium/contracts';

/** Every flag's definition and targeting; `flags:manage` (admins). */
export async function listFlags(api: ApiClient): Promise<FeatureFlag[]> {
  return (await api.get('/api/feature-flags', featureFlagListResponseSchema)).flags;
}

/** Turns a flag on or off, optionally re-targeted; the BFF audits it with the reason and tells every tab. */
export async function toggleFlag(api: ApiClient, key: string, body: ToggleFeatureFlagRequest): Promise<FeatureFlag> {
  return (
    await api.send('POST', `/api/feature-flags/${encodeURIComponent(key)}/toggle`, body, featureFlagResponseSchema)
  ).flag;
}

/** The accounts targeting can name (email ↔ id); `users:manage`. */
export async function listUserEmails(api: ApiClient): Promise<{ id: string; email: string }[]> {
  return (await api.get('/api/users', userListResponseSchema)).users.map(({ id, email }) => ({ id, email }));
}
