import { type ServerEvent, serverEventSchema } from '@atrium/contracts';
import { and, asc, eq, gt, lte, max, sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database } from '../db/index.js';
import { broadcastEvents, userEvents } from '../db/schema/index.js';
import { type Bus, userChannel } from './bus.js';

export type StoredEvent =
  | { log: 'user'; userId: string; seq: number; at: Date; event: ServerEvent }
  | { log: 'broadcast'; seq: number; at: Date; event: ServerEvent };

/** Advisory lock namespaces (arbitrary, fixed): the first key of the two-key lock. */
const userLogLock = 7_261_841;
const broadcastLogLock = 7_261_842;

/** Appends to the user's log inside the caller's transaction; the seq is max+1 under a per-user lock, so gap-free. */
export async function appendUserEvent(
  tx: Database,
  userId: string,
  event: ServerEvent,
  at: Date,
): Promise<StoredEvent> {
  await tx.execute(sql`select pg_advisory_xact_lock(${userLogLock}, hashtext(${userId}))`);
  const [head] = await tx
    .select({ seq: max(userEvents.seq) })
    .from(userEvents)
    .where(eq(userEvents.userId, userId));
  const seq = Number(head?.seq ?? 0) + 1;
  await tx.insert(userEvents).values({ userId, seq, type: event.type, payload: event, createdAt: at });
  return { log: 'user', userId, seq, at, event };
}

export async function appendBroadcastEvent(tx: Database, event: ServerEvent, at: Date): Promise<StoredEvent> {
  await tx.execute(sql`select pg_advisory_xact_lock(${broadcastLogLock}, 0)`);
  const [head] = await tx.select({ seq: max(broadcastEvents.seq) }).from(broadcastEvents);
  const seq = Number(head?.seq ?? 0) + 1;
  await tx.insert(broadcastEvents).values({ seq, type: event.type, payload: event, createdAt: at });
  return { log: 'broadcast', seq, at, event };
}

export async function publishStored(bus: Bus, stored: readonly StoredEvent[]): Promise<void> {
  for (const e of stored) {
    if (e.log === 'user') {
      await bus.publish(userChannel(e.userId), { kind: 'user-event', userId: e.userId, seq: e.seq, event: e.event });
    } else {
      await bus.publish('broadcast', { kind: 'broadcast-event', seq: e.seq, event: e.event });
    }
  }
}

export interface Emit {
  toUser(userId: string, event: ServerEvent): Promise<void>;
  toEveryone(event: ServerEvent): Promise<void>;
}

export interface EventDeps {
  db: Database;
  bus: Bus;
  clock: Clock;
}

/**
 * Runs a state change and the events describing it in one transaction, then publishes the
 * events after commit: a subscriber never hears of a change that was rolled back.
 * `beforePublish` runs after commit and before the events go out: dropping caches there (and
 * telling other instances through the bus) means a client reacting to the event reads fresh data.
 */
export async function withEvents<T>(
  deps: EventDeps,
  work: (tx: Database, emit: Emit) => Promise<T>,
  beforePublish?: (result: T) => Promise<void>,
): Promise<T> {
  const stored: StoredEvent[] = [];
  const result = await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    return work(tx, {
      toUser: async (userId, event) => {
        stored.push(await appendUserEvent(tx, userId, event, now));
      },
      toEveryone: async (event) => {
        stored.push(await appendBroadcastEvent(tx, event, now));
      },
    });
  });
  await beforePublish?.(result);
  await publishStored(deps.bus, stored);
  return result;
}

/**
 * One broadcast event in a transaction of its own, stored and published (tests, tools). A state
 * change's event belongs in the change's transaction instead: `withEvents` (or `Registry.changeReleases`).
 */
export async function publishBroadcast(deps: EventDeps, event: ServerEvent): Promise<void> {
  await withEvents(deps, (_tx, emit) => emit.toEveryone(event));
}

export interface LogHeads {
  user: number;
  broadcast: number;
}

export async function readHeads(db: Database, userId: string): Promise<LogHeads> {
  const [u] = await db
    .select({ seq: max(userEvents.seq) })
    .from(userEvents)
    .where(eq(userEvents.userId, userId));
  const [b] = await db.select({ seq: max(broadcastEvents.seq) }).from(broadcastEvents);
  return { user: Number(u?.seq ?? 0), broadcast: Number(b?.seq ?? 0) };
}

/** Events after `after` (exclusive) up to `upTo` (inclusive, if given), oldest first. */
export async function readUserEvents(
  db: Database,
  userId: string,
  after: number,
  options: { upTo?: number; limit: number },
): Promise<StoredEvent[]> {
  const conditions = [eq(userEvents.userId, userId), gt(userEvents.seq, after)];
  if (options.upTo !== undefined) conditions.push(lte(userEvents.seq, options.upTo));
  const rows = await db
    .select()
    .from(userEvents)
    .where(and(...conditions))
    .orderBy(asc(userEvents.seq))
    .limit(options.limit);
  return rows.map((r) => ({
    log: 'user',
    userId,
    seq: Number(r.seq),
    at: r.createdAt,
    event: serverEventSchema.parse(r.payload),
  }));
}

export async function readBroadcastEvents(
  db: Database,
  after: number,
  options: { upTo?: number; limit: number },
): Promise<StoredEvent[]> {
  const conditions = [gt(broadcastEvents.seq, after)];
  if (options.upTo !== undefined) conditions.push(lte(broadcastEvents.seq, options.upTo));
  const rows = await db
    .select()
    .from(broadcastEvents)
    .where(and(...conditions))
    .orderBy(asc(broadcastEvents.seq))
    .limit(options.limit);
  return rows.map((r) => ({
    log: 'broadcast',
    seq: Number(r.seq),
    at: r.createdAt,
    event: serverEventSchema.parse(r.payload),
  }));
}
