import { randomBytes } from 'node:crypto';
import type { RemoteName } from '@atrium/contracts';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { sha256Hex } from '../auth/tokens.js';
import type { Database } from '../db/index.js';
import { type DeployTokenRow, deployTokens } from '../db/schema/index.js';
import { AppError } from '../errors.js';

export const deployTokenPrefix = 'atr_dt_';

export function toDeployToken(row: DeployTokenRow) {
  return {
    id: row.id,
    remote: row.remote as RemoteName,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** The secret is returned once and only its sha256 is kept. */
export async function createDeployToken(
  db: Database,
  input: { remote: RemoteName; name: string; createdBy: string; now: Date },
): Promise<{ row: DeployTokenRow; secret: string }> {
  const secret = `${deployTokenPrefix}${randomBytes(32).toString('base64url')}`;
  const [row] = await db
    .insert(deployTokens)
    .values({
      remote: input.remote,
      name: input.name,
      secretHash: sha256Hex(secret),
      createdBy: input.createdBy,
      createdAt: input.now,
    })
    .returning();
  return { row: row!, secret };
}

export async function listDeployTokens(db: Database): Promise<DeployTokenRow[]> {
  return db.select().from(deployTokens).orderBy(desc(deployTokens.createdAt));
}

export async function revokeDeployToken(db: Database, id: string, now: Date): Promise<DeployTokenRow> {
  const [row] = await db
    .update(deployTokens)
    .set({ revokedAt: now })
    .where(and(eq(deployTokens.id, id), isNull(deployTokens.revokedAt)))
    .returning();
  if (row) return row;
  const [existing] = await db.select().from(deployTokens).where(eq(deployTokens.id, id));
  if (!existing) throw new AppError('registry.not_found', 404, 'No such deploy token.');
  return existing;
}

/** A live token for this secret, or null (unknown, revoked or malformed). */
export async function authenticateDeployToken(db: Database, secret: string, now: Date): Promise<DeployTokenRow | null> {
  if (!secret.startsWith(deployTokenPrefix)) return null;
  const [row] = await db
    .update(deployTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(deployTokens.secretHash, sha256Hex(secret)), isNull(deployTokens.revokedAt)))
    .returning();
  return row ?? null;
}
