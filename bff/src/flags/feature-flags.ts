import {
  type FeatureFlag,
  type FlagTargeting,
  flagAuditTarget,
  flagTargetingSchema,
  type ToggleFeatureFlagRequest,
} from '@atrium/contracts';
import { asc, eq, inArray } from 'drizzle-orm';
import { recordAudit } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/index.js';
import { type FeatureFlagRow, featureFlags, users } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Bus } from '../realtime/bus.js';
import { withEvents } from '../realtime/event-log.js';
import { isOnFor, snapshotOf } from './evaluate.js';
import type { FeatureFlags, FlagUser } from './flags.js';

export interface FeatureFlagDeps {
  db: Database;
  bus: Bus;
  clock: Clock;
  logger: Logger;
}

const toView = (row: FeatureFlagRow, viewer: FlagUser): FeatureFlag => ({
  key: row.key,
  description: row.description,
  enabled: row.enabled,
  targeting: row.targeting,
  onForYou: isOnFor(row, viewer),
  updatedAt: row.updatedAt.toISOString(),
  updatedBy: row.updatedBy,
});

const notFound = (flag: string) => new AppError('flag.not_found', 404, `No feature flag ${flag}.`);

/** Targeting as stored: ids and roles once each, in a stable order (so audit before/after compare cleanly). */
function normalised(targeting: FlagTargeting): FlagTargeting {
  const parsed = flagTargetingSchema.parse(targeting);
  return {
    roles: [...new Set(parsed.roles)].sort(),
    userIds: [...new Set(parsed.userIds.map((id) => id.toLowerCase()))].sort(),
    percentage: parsed.percentage,
  };
}

async function checkUsersExist(tx: Database, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  const found = new Set(
    (
      await tx
        .select({ id: users.id })
        .from(users)
        .where(inArray(users.id, [...userIds]))
    ).map((row) => row.id),
  );
  const unknown = userIds.filter((id) => !found.has(id));
  if (unknown.length > 0) {
    throw new AppError(
      'request.invalid',
      400,
      'The targeting names users who do not exist.',
      unknown.slice(0, 20).map((id) => ({ path: 'targeting.userIds', message: `no user ${id}` })),
    );
  }
}

/**
 * The flag store with a per-instance cache of every flag (a handful of rows, read on each
 * `/api/me` and gated request). A change empties the cache here at once and on every other
 * instance through `cache-invalidate` on `control`; the `flags.updated` broadcast empties it too,
 * so an instance that hears the event first never answers the client's refetch from a stale cache.
 * Call `follow()` once to listen; it resolves to the unsubscribe.
 */
export function createFeatureFlags(deps: FeatureFlagDeps): FeatureFlags & {
  follow(): Promise<() => void>;
  invalidate(): void;
} {
  const { db, bus, clock, logger } = deps;
  let cached: Promise<FeatureFlagRow[]> | null = null;

  const all = (): Promise<FeatureFlagRow[]> => {
    if (!cached) {
      const loading = (async () => db.select().from(featureFlags).orderBy(asc(featureFlags.key)))();
      cached = loading;
      // A failed read is not cached: the next call tries again.
      loading.catch(() => {
        if (cached === loading) cached = null;
      });
    }
    return cached;
  };
  const invalidate = () => {
    cached = null;
  };
  const isOn = async (user: FlagUser, flag: string) => {
    const row = (await all()).find((candidate) => candidate.key === flag);
    return row ? isOnFor(row, user) : false;
  };

  return {
    invalidate,
    async follow() {
      const [offControl, offBroadcast] = await Promise.all([
        bus.subscribe('control', (message) => {
          if (message.kind === 'cache-invalidate' && message.cache === 'flags') invalidate();
        }),
        bus.subscribe('broadcast', (message) => {
          if (message.kind === 'broadcast-event' && message.event.type === 'flags.updated') invalidate();
        }),
      ]);
      return () => {
        offControl();
        offBroadcast();
      };
    },
    snapshotFor: async (user) => snapshotOf(await all(), user),
    isOn,
    async require(user, flag) {
      if (!(await isOn(user, flag))) throw new AppError('flag.off', 403, `The feature ${flag} is off for you.`);
    },
    list: async (viewer) => (await all()).map((row) => toView(row, viewer)),
    async toggle(actor, viewer, flag, request: ToggleFeatureFlagRequest) {
      const row = await withEvents({ db, bus, clock }, async (tx, emit) => {
        const [current] = await tx.select().from(featureFlags).where(eq(featureFlags.key, flag)).for('update');
        if (!current) throw notFound(flag);
        const targeting = request.targeting ? normalised(request.targeting) : current.targeting;
        await checkUsersExist(tx, targeting.userIds);
        const now = clock.now();
        const [updated] = await tx
          .update(featureFlags)
          .set({ enabled: request.enabled, targeting, updatedAt: now, updatedBy: actor.userId })
          .where(eq(featureFlags.key, flag))
          .returning();
        await recordAudit(tx, {
          at: now,
          actorId: actor.userId,
          action: 'flag.toggled',
          target: flagAuditTarget(flag),
          detail: {
            reason: request.reason,
            before: { enabled: current.enabled, targeting: current.targeting },
            after: { enabled: updated!.enabled, targeting: updated!.targeting },
          },
          requestId: actor.requestId,
        });
        await emit.toEveryone({ type: 'flags.updated', flag });
        return updated!;
      });
      invalidate();
      await bus.publish('control', { kind: 'cache-invalidate', cache: 'flags', key: null });
      logger.info('feature flag changed', { flag, enabled: row.enabled });
      return toView(row, viewer);
    },
  };
}
