import type { ApiClient } from '@atrium/contracts';
import {
  type AccessToken,
  accessTokenListResponseSchema,
  accessTokenSchema,
  type CreateAccessTokenRequest,
  createAccessTokenResponseSchema,
} from '@atrium/contracts';
import { z } from 'zod';

export async function listAccessTokens(api: ApiClient): Promise<AccessToken[]> {
  const { tokens } = await api.get('/api/account/tokens', accessTokenListResponseSchema);
  return tokens;
}

/** The secret comes back in this answer only. */
export async function createAccessToken(api: ApiClient, request: CreateAccessTokenRequest) {
  return api.send('POST', '/api/account/tokens', request, createAccessTokenResponseSchema);
}

export async function revokeAccessToken(api: ApiClient, id: string): Promise<void> {
  await api.send('DELETE', `/api/account/tokens/${encodeURIComponent(id)}`, {}, z.object({ token: accessTokenSchema }));
}
