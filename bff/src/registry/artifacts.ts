import { eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { artifacts } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { sha384Hex } from './integrity.js';

export const maxArtifactBytes = 20 * 1024 * 1024;

export interface ArtifactStore {
  /** The hashes among `shas` that are not stored yet. */
  missing(shas: readonly string[]): Promise<string[]>;
  sizes(shas: readonly string[]): Promise<Map<string, number>>;
  /** Stores the body under its sha384; refuses a body whose hash is not the one claimed. */
  put(claimedSha384: string, body: Uint8Array, now: Date): Promise<void>;
  get(sha384: string): Promise<Buffer | null>;
}

/**
 * Bodies live in the database so every BFF instance serves the same bytes; small ones are
 * kept in memory (least recently used first out), since they never change.
 */
export function createArtifactStore(
  db: Database,
  options: { cacheBytes: number; largestCached: number } = { cacheBytes: 64 << 20, largestCached: 2 << 20 },
): ArtifactStore {
  const cache = new Map<string, Buffer>();
  let cachedBytes = 0;

  function remember(sha: string, body: Buffer): void {
    if (body.length > options.largestCached) return;
    cache.set(sha, body);
    cachedBytes += body.length;
    for (const [key, value] of cache) {
      if (cachedBytes <= options.cacheBytes) break;
      cache.delete(key);
      cachedBytes -= value.length;
    }
  }

  return {
    async missing(shas) {
      const stored = await this.sizes(shas);
      return [...new Set(shas)].filter((sha) => !stored.has(sha));
    },
    async sizes(shas) {
      if (shas.length === 0) return new Map();
      const rows = await db
        .select({ sha384: artifacts.sha384, size: artifacts.size })
        .from(artifacts)
        .where(inArray(artifacts.sha384, [...new Set(shas)]));
      return new Map(rows.map((row) => [row.sha384, row.size]));
    },
    async put(claimedSha384, body, now) {
      const actual = sha384Hex(body);
      if (actual !== claimedSha384) {
        throw new AppError(
          'registry.hash_mismatch',
          400,
          `The body hashes to ${actual}, not ${claimedSha384}: it was changed or truncated on the way.`,
        );
      }
      await db
        .insert(artifacts)
        .values({ sha384: actual, size: body.length, content: Buffer.from(body), createdAt: now })
        .onConflictDoNothing();
    },
    async get(sha384) {
      const hit = cache.get(sha384);
      if (hit) {
        cache.delete(sha384);
        cache.set(sha384, hit);
        return hit;
      }
      const [row] = await db.select({ content: artifacts.content }).from(artifacts).where(eq(artifacts.sha384, sha384));
      if (!row) return null;
      remember(sha384, row.content);
      return row.content;
    },
  };
}
