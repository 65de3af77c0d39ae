import { remoteNames } from '@atrium/contracts';
import type { Clock } from '../clock.js';
import type { Database } from '../db/index.js';
import { listVersions } from '../registry/versions.js';

/** How long the list of published versions is reused before a report of an unknown one reads it again (ms). */
const refreshMs = 30_000;

/**
 * Which `remote@version` pairs the registry holds, for metric labels: anyone signed in may post
 * load reports, and every label value is a new Prometheus series, so only published versions
 * become labels (others are `other`). One read per instance per 30 s at most, and only when a
 * report names a version not seen yet.
 */
export function knownRemoteVersions(db: Database, clock: Clock): (remote: string, version: string) => Promise<boolean> {
  let known: Set<string> | null = null;
  let readAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<Set<string>> | null = null;
  const read = async () => {
    const rows = await listVersions(db, remoteNames);
    return new Set(rows.map((row) => `${row.remote}@${row.version}`));
  };
  return async (remote, version) => {
    const key = `${remote}@${version}`;
    if (known?.has(key)) return true;
    if (clock.now().getTime() - readAt < refreshMs && known) return false;
    reading ??= read().finally(() => {
      reading = null;
    });
    known = await reading;
    readAt = clock.now().getTime();
    return known.has(key);
  };
}
