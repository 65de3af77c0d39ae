import { z } from 'zod';

/**
 * Personal access tokens (issue 10, item 6): a user's own credential for machine clients, today
 * only MCP clients at `/mcp`. Shown once at creation (`atr_` + 32 random bytes, base64url);
 * only its sha256 is stored. A token acts with its owner's current role, never more.
 */
/** `mcp`: the /mcp endpoint; `evals`: reporting eval runs (`POST /api/evals/runs`, issue 11). */
export const accessTokenScopes = ['mcp', 'evals'] as const;
export const accessTokenScopeSchema = z.enum(accessTokenScopes);
export type AccessTokenScope = z.infer<typeof accessTokenScopeSchema>;

export const accessTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  scopes: z.array(accessTokenScopeSchema),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  /** Null: never expires (until revoked). */
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type AccessToken = z.infer<typeof accessTokenSchema>;

/** Longest lifetime a token may be given, in days (a year, as GitHub's fine-grained tokens). */
export const accessTokenMaxDays = 366;

export const createAccessTokenRequestSchema = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(accessTokenScopeSchema).min(1).default(['mcp']),
  /** Days until it expires, 1–366; null: never. */
  expiresInDays: z.number().int().min(1).max(accessTokenMaxDays).nullable(),
});
export type CreateAccessTokenRequest = z.input<typeof createAccessTokenRequestSchema>;

export const createAccessTokenResponseSchema = z.object({
  token: accessTokenSchema,
  /** The token itself: shown this once, never again. */
  secret: z.string(),
});

export const accessTokenListResponseSchema = z.object({ tokens: z.array(accessTokenSchema) });
