import type { ClientReport, RemoteName } from '@atrium/contracts';
import { and, eq, gt, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { clientReports } from '../db/schema/index.js';
import { systemActor } from './actor.js';
import type { Registry } from './registry.js';
import { changeRelease, findRelease } from './releases.js';

export interface CanaryHealth {
  loads: number;
  failures: number;
  windowSeconds: number;
}

/**
 * Distinct signed-in users whose first-choice load of this version was reported in the window,
 * and how many of them failed. Anonymous reports never count: anyone can post them.
 */
export async function canaryHealth(
  db: Database,
  remote: RemoteName,
  version: string,
  window: { now: Date; seconds: number },
): Promise<CanaryHealth> {
  const since = new Date(window.now.getTime() - window.seconds * 1000);
  const [row] = await db
    .select({
      loads: sql<number>`count(distinct ${clientReports.userId})`.mapWith(Number),
      failures:
        sql<number>`count(distinct ${clientReports.userId}) filter (where ${clientReports.outcome} <> 'ok')`.mapWith(
          Number,
        ),
    })
    .from(clientReports)
    .where(
      and(
        eq(clientReports.kind, 'load'),
        eq(clientReports.remote, remote),
        eq(clientReports.version, version),
        isNotNull(clientReports.userId),
        gt(clientReports.at, since),
        sql`coalesce((${clientReports.detail}->>'fallback')::boolean, false) = false`,
      ),
    );
  return { loads: row?.loads ?? 0, failures: row?.failures ?? 0, windowSeconds: window.seconds };
}

function unhealthy(registry: Registry, health: CanaryHealth): boolean {
  const { minSample, maxFailureRate } = registry.config.canary;
  return health.loads >= minSample && health.failures / health.loads >= maxFailureRate;
}

/**
 * Called after load reports arrive for `version`: when it is the live canary and too many users
 * fail to load it, the canary goes to 0% by itself. Re-checked under the row lock, so concurrent
 * reports roll back once.
 */
export async function autoRollbackIfUnhealthy(
  registry: Registry,
  remote: RemoteName,
  version: string,
): Promise<boolean> {
  const release = await findRelease(registry.db, remote);
  if (release?.canary !== version || release.canaryPercent === 0) return false;
  const { windowSeconds } = registry.config.canary;
  const window = { now: registry.clock.now(), seconds: windowSeconds };
  // Cheap check first: most reports are healthy and need no lock.
  if (!unhealthy(registry, await canaryHealth(registry.db, remote, version, window))) return false;
  const { changed } = await changeRelease(registry, systemActor, remote, null, async (tx, current) => {
    if (current.canary !== version || current.canaryPercent === 0) return null;
    const health = await canaryHealth(tx, remote, version, window);
    if (!unhealthy(registry, health)) return null;
    const percent = Math.round((health.failures / health.loads) * 100);
    const span = windowSeconds % 60 === 0 ? `${windowSeconds / 60} min` : `${windowSeconds} s`;
    return {
      next: { ...current, canaryPercent: 0 },
      change: {
        action: 'auto_rollback',
        automatic: true,
        version,
        reason: `auto-rollback: ${health.failures} of ${health.loads} users failed to load ${remote} ${version} (${percent}%) in ${span}`,
      },
    };
  });
  return changed;
}

/** Checks every canary a batch of signed-in load reports touched. */
export async function watchCanaries(registry: Registry, reports: readonly ClientReport[]): Promise<void> {
  const loaded = new Map<string, { remote: RemoteName; version: string }>();
  for (const entry of reports) {
    if (entry.kind === 'load') loaded.set(`${entry.report.remote}@${entry.report.version}`, entry.report);
  }
  for (const { remote, version } of loaded.values()) await autoRollbackIfUnhealthy(registry, remote, version);
}
