import { apiErrorSchema, entitlementRequiredErrorSchema } from '@atrium/contracts';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import type { OpenDatabase } from '../db/index.js';
import type { UserRow } from '../db/schema/index.js';
import type { AppEnv } from '../env.js';
import { onError } from '../errors.js';
import type { Bus } from '../realtime/bus.js';
import { createInProcessBus } from '../realtime/in-process-bus.js';
import { createManualClock } from '../testing/manual-clock.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUser } from '../users/accounts.js';
import { createCachedEntitlements, entitlementCacheTtlMs } from './cached-entitlements.js';
import type { Entitlements } from './entitlements.js';
import { changeEntitlements } from './store.js';

/*
 * Two instances' caches over one database and one bus (what two BFFs share): a change made
 * through one is seen by the other at once, because `changed` reaches it over the bus.
 */

let database: OpenDatabase;
let bus: Bus;
const clock = createManualClock();
let ada: UserRow;
let grace: UserRow;
let admin: UserRow;
let a: Entitlements & { close(): void };
let b: Entitlements & { close(): void };

const delivered = () => new Promise((resolve) => setTimeout(resolve, 0));
const setPlan = (user: UserRow, plan: 'free' | 'pro') =>
  database.db.transaction((tx) =>
    changeEntitlements(tx, user.id, { plan, reason: 'test change' }, admin.id, clock.now()),
  );

beforeAll(async () => {
  database = await openTestDatabase(loadConfig().database);
  bus = createInProcessBus();
  const make = (email: string, role: UserRow['role'] = 'user') =>
    createUser(database.db, {
      email,
      role,
      password: 'a perfectly long password',
      displayName: email,
      now: clock.now(),
    });
  ada = await make('ada@example.com');
  grace = await make('grace@example.com');
  admin = await make('root@example.com', 'admin');
  a = await createCachedEntitlements({ db: database.db, bus, clock });
  b = await createCachedEntitlements({ db: database.db, bus, clock });
});

afterAll(async () => {
  a.close();
  b.close();
  await bus.close();
  await database.close();
});

describe('entitlements cached per instance, invalidated on every instance', () => {
  it('starts everyone on free, and caches what it read', async () => {
    expect(await a.of(ada)).toEqual({ plan: 'free', features: [] });
    expect(await b.of(ada)).toEqual({ plan: 'free', features: [] });
    // A change nobody announced is not seen yet: the entry is served from the cache.
    await setPlan(ada, 'pro');
    expect(await b.of(ada)).toEqual({ plan: 'free', features: [] });
  });

  it('a change announced on one instance empties the other’s entry', async () => {
    await a.changed(ada.id);
    expect(await a.of(ada)).toEqual({ plan: 'pro', features: ['multi_agent'] });
    await delivered();
    expect(await b.of(ada)).toEqual({ plan: 'pro', features: ['multi_agent'] });
  });

  it('drops only the named user; null drops everyone', async () => {
    expect(await b.of(grace)).toEqual({ plan: 'free', features: [] });
    await setPlan(grace, 'pro');
    await setPlan(ada, 'free');
    await a.changed(ada.id);
    await delivered();
    expect((await b.of(ada)).plan).toBe('free');
    expect((await b.of(grace)).plan).toBe('free');
    await a.changed(null);
    await delivered();
    expect((await b.of(grace)).plan).toBe('pro');
  });

  it('an entry expires after the TTL even if an invalidation was lost', async () => {
    await setPlan(grace, 'free');
    expect((await b.of(grace)).plan).toBe('pro');
    clock.advance(entitlementCacheTtlMs);
    expect((await b.of(grace)).plan).toBe('free');
  });

  it('require throws 402 entitlement.required whose body names the feature', async () => {
    await expect(b.require(ada, 'multi_agent')).rejects.toMatchObject({ code: 'entitlement.required', status: 402 });
    const app = new Hono<AppEnv>().onError(onError).get('/gated', async (c) => {
      await b.require(ada, 'multi_agent');
      return c.text('in');
    });
    const response = await app.request('/gated');
    expect(response.status).toBe(402);
    const body = await response.json();
    expect(apiErrorSchema.parse(body).code).toBe('entitlement.required');
    expect(entitlementRequiredErrorSchema.parse(body).feature).toBe('multi_agent');

    await setPlan(ada, 'pro');
    await b.changed(ada.id);
    await expect(a.require(ada, 'multi_agent')).resolves.toBeUndefined();
    expect((await app.request('/gated')).status).toBe(200);
  });
});
