import { type RemoteBuild, type RemoteMap, type RemoteName, type ResolvedRemote, remoteNames } from '@atrium/contracts';
import { and, eq, inArray } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database } from '../db/index.js';
import { type RemoteVersionRow, releases, remoteVersions, type UserRow } from '../db/schema/index.js';
import { inCanary } from './canary-bucket.js';
import { entryUrlOf } from './versions.js';

interface ReleaseSnapshot {
  stable: RemoteBuild;
  lastKnownGood: RemoteBuild | null;
  canary: RemoteBuild | null;
  canaryPercent: number;
}

export interface RemoteResolver {
  /** The user's map: canary builds for users in the canary bucket, stable for everyone else. */
  resolve(user: UserRow | null): Promise<RemoteMap>;
  /** Forget the cached releases (a release changed here or on another instance). */
  invalidate(): void;
}

function buildOf(row: RemoteVersionRow): RemoteBuild {
  return { version: row.version, entry: entryUrlOf(row), integrity: row.integrity, contract: row.contract };
}

async function loadSnapshot(db: Database): Promise<Map<RemoteName, ReleaseSnapshot>> {
  const rows = await db.select().from(releases);
  const wanted = rows.flatMap((r) => [r.stable, r.previousStable, r.canary].filter((v): v is string => v !== null));
  const versionRows =
    wanted.length === 0
      ? []
      : await db
          .select()
          .from(remoteVersions)
          .where(and(inArray(remoteVersions.version, wanted), eq(remoteVersions.status, 'published')));
  const find = (remote: string, version: string | null) => {
    const row = versionRows.find((v) => v.remote === remote && v.version === version);
    return row ? buildOf(row) : null;
  };
  const snapshot = new Map<RemoteName, ReleaseSnapshot>();
  for (const release of rows) {
    const stable = find(release.remote, release.stable);
    if (!stable || !(remoteNames as readonly string[]).includes(release.remote)) continue;
    snapshot.set(release.remote as RemoteName, {
      stable,
      lastKnownGood: find(release.remote, release.previousStable),
      canary: release.canaryPercent > 0 ? find(release.remote, release.canary) : null,
      canaryPercent: release.canaryPercent,
    });
  }
  return snapshot;
}

/**
 * Releases change rarely and every shell page needs them: keep them in memory for a few
 * seconds, and drop them at once when a release changes (the TTL only bounds a missed signal).
 */
export function createRemoteResolver(db: Database, clock: Clock, ttlMs = 5_000): RemoteResolver {
  let cached: { at: number; snapshot: Promise<Map<RemoteName, ReleaseSnapshot>> } | null = null;

  function snapshot(): Promise<Map<RemoteName, ReleaseSnapshot>> {
    const now = clock.now().getTime();
    if (!cached || now - cached.at >= ttlMs) {
      const loading = loadSnapshot(db);
      cached = { at: now, snapshot: loading };
      loading.catch(() => {
        if (cached?.snapshot === loading) cached = null;
      });
    }
    return cached.snapshot;
  }

  return {
    async resolve(user) {
      const remotes: Partial<Record<RemoteName, ResolvedRemote>> = {};
      for (const [name, release] of await snapshot()) {
        remotes[name] =
          release.canary && user && inCanary(user.id, name, release.canaryPercent)
            ? { name, ...release.canary, fallback: release.stable }
            : { name, ...release.stable, fallback: release.lastKnownGood };
      }
      return { generatedAt: clock.now().toISOString(), remotes };
    },
    invalidate() {
      cached = null;
    },
  };
}
