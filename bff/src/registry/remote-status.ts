import type { RemoteName, RemoteStatus } from '@atrium/contracts';
import { inArray } from 'drizzle-orm';
import { releases } from '../db/schema/index.js';
import { canaryHealth } from './auto-rollback.js';
import { latestHistory, toHistoryEntry } from './history.js';
import type { Registry } from './registry.js';
import { namedRelease, toRelease } from './releases.js';
import { listVersions, toRemoteVersion } from './versions.js';

/**
 * Where each remote stands, with its versions and newest history entry. Releases, versions and
 * last changes are one query each for all the remotes asked about, however many there are.
 */
export async function remoteStatuses(registry: Registry, remotes: readonly RemoteName[]): Promise<RemoteStatus[]> {
  const { db, clock, config } = registry;
  const [releaseRows, versionRows, lastChanges] = await Promise.all([
    db
      .select(namedRelease)
      .from(releases)
      .where(inArray(releases.remote, [...remotes])),
    listVersions(db, remotes),
    latestHistory(db, remotes),
  ]);
  return Promise.all(
    remotes.map(async (remote) => {
      const release = releaseRows.find((row) => row.remote === remote);
      const lastChange = lastChanges.find((row) => row.remote === remote);
      const health = release?.canary
        ? await canaryHealth(db, remote, release.canary, { now: clock.now(), seconds: config.canary.windowSeconds })
        : null;
      return {
        release: toRelease(remote, release),
        versions: versionRows.filter((row) => row.remote === remote).map(toRemoteVersion),
        canaryHealth: health,
        lastChange: lastChange ? toHistoryEntry(lastChange) : null,
      };
    }),
  );
}
