import { randomBytes } from 'node:crypto';
import type { AccessToken, AccessTokenScope } from '@atrium/contracts';
import { and, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { type AccessTokenRow, accessTokens, type UserRow, users } from '../db/schema/index.js';
import { sha256Hex } from './tokens.js';

/** Every personal access token starts so: secret scanners and our output mask recognise it. */
export const accessTokenPrefix = 'atr_';

export function toAccessToken(row: AccessTokenRow): AccessToken {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/**
 * Creates a token for `userId`: `atr_` + 32 random bytes (256 bits) base64url, returned once as
 * `secret`; only its sha256 (hex) is stored. `expiresAt` null: never expires.
 */
export async function createAccessToken(
  db: Database,
  input: { userId: string; name: string; scopes: AccessTokenScope[]; expiresAt: Date | null; now: Date },
): Promise<{ row: AccessTokenRow; secret: string }> {
  const secret = `${accessTokenPrefix}${randomBytes(32).toString('base64url')}`;
  const [row] = await db
    .insert(accessTokens)
    .values({
      userId: input.userId,
      name: input.name,
      tokenHash: sha256Hex(secret),
      scopes: [...new Set(input.scopes)],
      createdAt: input.now,
      expiresAt: input.expiresAt,
    })
    .returning();
  return { row: row!, secret };
}

/** The user's own tokens, newest first (revoked and expired ones included, so they can be told apart). */
export async function listAccessTokens(db: Database, userId: string): Promise<AccessTokenRow[]> {
  return db.select().from(accessTokens).where(eq(accessTokens.userId, userId)).orderBy(desc(accessTokens.createdAt));
}

/**
 * Revokes one of the user's own tokens (another user's id finds nothing, like a missing one).
 * Revoking twice keeps the first time. Null: no such token of this user.
 */
export async function revokeAccessToken(
  db: Database,
  userId: string,
  id: string,
  now: Date,
): Promise<AccessTokenRow | null> {
  const [row] = await db
    .update(accessTokens)
    .set({ revokedAt: sql`coalesce(${accessTokens.revokedAt}, ${now.toISOString()}::timestamptz)` })
    .where(and(eq(accessTokens.id, id), eq(accessTokens.userId, userId)))
    .returning();
  return row ?? null;
}

/**
 * The token's owner for a presented secret when the token is live (not revoked, not expired at
 * `now`) and holds `scope`; null otherwise, whichever the reason (the caller answers one 401).
 * Marks the token used. The owner's role is read now, so a changed role applies at once; a
 * disabled owner's tokens authenticate nothing (null, as for a revoked token).
 */
export async function authenticateAccessToken(
  db: Database,
  secret: string,
  scope: AccessTokenScope,
  now: Date,
): Promise<{ token: AccessTokenRow; user: UserRow } | null> {
  if (!secret.startsWith(accessTokenPrefix)) return null;
  const [token] = await db
    .update(accessTokens)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(accessTokens.tokenHash, sha256Hex(secret)),
        isNull(accessTokens.revokedAt),
        or(isNull(accessTokens.expiresAt), gt(accessTokens.expiresAt, now)),
        sql`${scope} = any(${accessTokens.scopes})`,
      ),
    )
    .returning();
  if (!token) return null;
  const [user] = await db.select().from(users).where(eq(users.id, token.userId));
  return user && user.disabledAt === null ? { token, user } : null;
}
