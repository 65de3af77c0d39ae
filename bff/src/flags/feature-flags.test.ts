import type { ServerEvent } from '@atrium/contracts';
import { count, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config.js';
import type { OpenDatabase } from '../db/index.js';
import { auditLog, broadcastEvents, featureFlags, type UserRow } from '../db/schema/index.js';
import { createLogger } from '../logger.js';
import type { Bus, BusMessage } from '../realtime/bus.js';
import { createInProcessBus } from '../realtime/in-process-bus.js';
import { createManualClock } from '../testing/manual-clock.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUser } from '../users/accounts.js';
import { createFeatureFlags } from './feature-flags.js';

/*
 * The flag store over a real database: two instances (two FeatureFlags over one database, each
 * with its own cache) share a bus as two BFFs share Redis.
 */

let database: OpenDatabase;
let admin: UserRow;
let ada: UserRow;
const clock = createManualClock();
const logger = createLogger('silent', () => undefined);
const everyone = { roles: [], userIds: [], percentage: 100 };
const actor = () => ({ userId: admin.id, requestId: 'req-1' });

const instance = (bus: Bus) => createFeatureFlags({ db: database.db, bus, clock, logger });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeAll(async () => {
  database = await openTestDatabase(loadConfig().database);
  const make = (email: string, role: UserRow['role']) =>
    createUser(database.db, {
      email,
      role,
      password: 'a perfectly long password',
      displayName: email,
      now: clock.now(),
    });
  admin = await make('root@example.com', 'admin');
  ada = await make('ada@example.com', 'user');
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await database.db.update(featureFlags).set({ enabled: true, targeting: everyone });
});

describe('createFeatureFlags', () => {
  it('serves the seeded flags, on for everyone', async () => {
    const flags = instance(createInProcessBus());
    expect(await flags.snapshotFor(ada)).toEqual({ uploads: true, 'mcp.server': true, 'agent.tools': true });
    await expect(flags.require(ada, 'uploads')).resolves.toBeUndefined();
    expect(await flags.isOn(ada, 'no.such-flag')).toBe(false);
    await expect(flags.require(ada, 'no.such-flag')).rejects.toMatchObject({ code: 'flag.off', status: 403 });
  });

  it('empties the cache of every instance sharing the bus, and only through it', async () => {
    const bus = createInProcessBus();
    const a = instance(bus);
    const b = instance(bus);
    const elsewhere = instance(createInProcessBus());
    const stops = await Promise.all([a.follow(), b.follow(), elsewhere.follow()]);
    // Warm every cache.
    for (const flags of [a, b, elsewhere]) expect(await flags.isOn(ada, 'uploads')).toBe(true);

    await a.toggle(actor(), admin, 'uploads', { enabled: false, reason: 'storage incident' });
    expect(await a.isOn(ada, 'uploads')).toBe(false);
    await settle();
    expect(await b.isOn(ada, 'uploads')).toBe(false);
    await expect(b.require(ada, 'uploads')).rejects.toMatchObject({ code: 'flag.off' });
    // An instance on another bus keeps what it cached: the invalidation is what made b fresh.
    expect(await elsewhere.isOn(ada, 'uploads')).toBe(true);
    elsewhere.invalidate();
    expect(await elsewhere.isOn(ada, 'uploads')).toBe(false);
    for (const stop of stops) stop();
  });

  it('sends cache-invalidate on control and flags.updated on broadcast, after the change is committed', async () => {
    const bus = createInProcessBus();
    const flags = instance(bus);
    const heard: { message: BusMessage; stored: boolean }[] = [];
    const stateWhenHeard = async (message: BusMessage) => {
      const [row] = await database.db.select().from(featureFlags).where(eq(featureFlags.key, 'mcp.server'));
      heard.push({ message, stored: row?.enabled === false });
    };
    await bus.subscribe('control', (message) => void stateWhenHeard(message));
    await bus.subscribe('broadcast', (message) => void stateWhenHeard(message));

    await flags.toggle(actor(), admin, 'mcp.server', { enabled: false, reason: 'token leak' });
    // Each handler reads the row before recording what it heard: on PostgreSQL that read can
    // outlast a fixed number of ticks, so wait for both messages rather than for time.
    await vi.waitFor(() => expect(heard).toHaveLength(2));
    const event: ServerEvent = { type: 'flags.updated', flag: 'mcp.server' };
    expect(heard).toEqual(
      expect.arrayContaining([
        { message: expect.objectContaining({ kind: 'broadcast-event', event }), stored: true },
        { message: { kind: 'cache-invalidate', cache: 'flags', key: null }, stored: true },
      ]),
    );
    const [stored] = await database.db
      .select()
      .from(broadcastEvents)
      .where(eq(broadcastEvents.type, 'flags.updated'))
      .orderBy(desc(broadcastEvents.seq));
    expect(stored?.payload).toEqual(event);
  });

  it('audits the change with reason, before and after; targeting is stored de-duplicated and sorted', async () => {
    const flags = instance(createInProcessBus());
    const view = await flags.toggle(actor(), admin, 'uploads', {
      enabled: true,
      targeting: { roles: ['ops', 'admin', 'ops'], userIds: [ada.id, ada.id], percentage: 0 },
      reason: 'pilot with ops',
    });
    expect(view).toMatchObject({
      key: 'uploads',
      enabled: true,
      targeting: { roles: ['admin', 'ops'], userIds: [ada.id], percentage: 0 },
      onForYou: true,
      updatedBy: admin.id,
    });
    const entries = await database.db.select().from(auditLog).where(eq(auditLog.target, 'flag:uploads'));
    expect(entries.at(-1)).toMatchObject({
      actorId: admin.id,
      action: 'flag.toggled',
      requestId: 'req-1',
      detail: {
        reason: 'pilot with ops',
        before: { enabled: true, targeting: everyone },
        after: { enabled: true, targeting: { roles: ['admin', 'ops'], userIds: [ada.id], percentage: 0 } },
      },
    });
    expect(await flags.snapshotFor(ada)).toMatchObject({ uploads: true });
    expect(await flags.snapshotFor({ id: admin.id, role: 'user' })).toMatchObject({ uploads: false });
  });

  it('writes nothing — no row, no audit, no event — when the change is refused', async () => {
    const flags = instance(createInProcessBus());
    const counts = async () => ({
      audit: (await database.db.select({ n: count() }).from(auditLog))[0]!.n,
      events: (await database.db.select({ n: count() }).from(broadcastEvents))[0]!.n,
    });
    const before = await counts();
    const stranger = '00000000-0000-4000-8000-000000000001';
    await expect(
      flags.toggle(actor(), admin, 'uploads', {
        enabled: false,
        targeting: { roles: [], userIds: [ada.id, stranger], percentage: 0 },
        reason: 'typo',
      }),
    ).rejects.toMatchObject({ code: 'request.invalid', status: 400, issues: [{ message: `no user ${stranger}` }] });
    await expect(flags.toggle(actor(), admin, 'nope', { enabled: false, reason: 'typo' })).rejects.toMatchObject({
      code: 'flag.not_found',
      status: 404,
    });
    expect(await counts()).toEqual(before);
    const [row] = await database.db.select().from(featureFlags).where(eq(featureFlags.key, 'uploads'));
    expect(row).toMatchObject({ enabled: true, targeting: everyone });
  });
});
