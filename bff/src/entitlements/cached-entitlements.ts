import type { Clock } from '../clock.js';
import type { Database } from '../db/index.js';
import type { Bus } from '../realtime/bus.js';
import { type EffectiveEntitlements, type Entitlements, entitlementRequired } from './entitlements.js';
import { readEffective } from './store.js';

/**
 * How long an entry may be served without hearing of a change. Invalidation through the bus is
 * what makes changes show at once; this only bounds the damage of a lost `cache-invalidate`
 * (the bus never throws, it may drop a publish while Redis reconnects).
 */
export const entitlementCacheTtlMs = 30_000;
const maxEntries = 10_000;

/**
 * The store's reads cached per instance, per user, for `entitlementCacheTtlMs`. Every instance
 * subscribes to `control` and drops a user's entry on `cache-invalidate` (cache `entitlements`).
 * A read that began before any invalidation is not cached (one generation counter), so a change
 * is never hidden by a read racing it. At most `maxEntries` users are kept (then it starts over).
 */
export async function createCachedEntitlements(deps: {
  db: Database;
  bus: Bus;
  clock: Clock;
  ttlMs?: number;
}): Promise<Entitlements & { close(): void }> {
  const ttlMs = deps.ttlMs ?? entitlementCacheTtlMs;
  const cache = new Map<string, { value: EffectiveEntitlements; expiresAt: number }>();
  let generation = 0;

  const forget = (key: string | null) => {
    generation += 1;
    if (key === null) cache.clear();
    else cache.delete(key);
  };
  const unsubscribe = await deps.bus.subscribe('control', (message) => {
    if (message.kind === 'cache-invalidate' && message.cache === 'entitlements') forget(message.key);
  });

  const of = async (user: { id: string }): Promise<EffectiveEntitlements> => {
    const now = deps.clock.now().getTime();
    const hit = cache.get(user.id);
    if (hit && hit.expiresAt > now) return hit.value;
    const startedAt = generation;
    const value = await readEffective(deps.db, user.id);
    if (cache.size >= maxEntries) cache.clear();
    if (generation === startedAt) cache.set(user.id, { value, expiresAt: now + ttlMs });
    return value;
  };

  return {
    of,
    async require(user, feature) {
      const { features } = await of(user);
      if (!features.includes(feature)) throw entitlementRequired(feature);
    },
    async changed(userId) {
      forget(userId);
      await deps.bus.publish('control', { kind: 'cache-invalidate', cache: 'entitlements', key: userId });
    },
    close: () => unsubscribe(),
  };
}
