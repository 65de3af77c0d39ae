import { type ServerEvent, serverEventSchema } from '@atrium/contracts';
import { and, asc, eq, gt, lte, max, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { type Database, queryRows } from '../db/index.js';
import { broadcastEvents, userEvents } from '../db/schema/index.js';
import { type Bus, userChannel } from './bus.js';

/**
 * One store of a streamed answer's deltas as ONE row of the user's log (issue 12): `deltas` are
 * the `message.delta` events of that store (ascending `seq`, the answer's own delta numbering,
 * `text` as stored). It never goes on the wire as it is: the event stream expands it into those
 * `message.delta` events, the id on the last (sse.ts), so every chat-core version, old or new,
 * reads the stream it always did. One row instead of one per delta keeps a store's cost flat
 * in its size: a 50 ms flush cadence stored every 2 s is ~40 deltas per store.
 */
export const deltaBatchEventSchema = z.object({
  type: z.literal('message.deltas'),
  chatId: z.string(),
  messageId: z.string(),
  deltas: z.array(z.object({ seq: z.number().int().nonnegative(), text: z.string() })).min(1),
});
export type DeltaBatchEvent = z.infer<typeof deltaBatchEventSchema>;

/** What a user's log row holds: an event as clients get it, or a batch of deltas the stream expands. */
export type LoggedEvent = ServerEvent | DeltaBatchEvent;
const loggedEventSchema = z.union([serverEventSchema, deltaBatchEventSchema]);

/** The `message.delta` events a batch stands for, in seq order. */
export function expandDeltaBatch(batch: DeltaBatchEvent): Extract<ServerEvent, { type: 'message.delta' }>[] {
  return batch.deltas.map((delta) => ({
    type: 'message.delta',
    chatId: batch.chatId,
    messageId: batch.messageId,
    seq: delta.seq,
    text: delta.text,
  }));
}

export type StoredEvent =
  | { log: 'user'; userId: string; seq: number; at: Date; event: LoggedEvent }
  | { log: 'broadcast'; seq: number; at: Date; event: ServerEvent };

/** Advisory lock namespaces (arbitrary, fixed): the first key of the two-key lock. */
const userLogLock = 7_261_841;
const broadcastLogLock = 7_261_842;

/**
 * Appends `events` (in this order) to the user's log inside the caller's transaction, in two
 * statements however many there are: the per-user advisory lock, then one INSERT … SELECT that
 * reads max(seq) and writes every row as max+1, max+2, … So seqs stay gap-free and in the given
 * order. The lock must be its own statement: a statement's snapshot is taken when it starts, so
 * a max(seq) read in the statement that waits for the lock could miss a row committed meanwhile.
 */
export async function appendUserEvents(
  tx: Database,
  userId: string,
  events: readonly LoggedEvent[],
  at: Date,
): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  await tx.execute(sql`select pg_advisory_xact_lock(${userLogLock}, hashtext(${userId}))`);
  const seqs = await insertNumbered(
    tx,
    sql`insert into ${userEvents} (user_id, seq, type, payload, created_at)
      select ${userId}::uuid, head.seq + v.n, v.type, v.payload, ${at.toISOString()}::timestamptz
      from (select coalesce(max(seq), 0) as seq from ${userEvents} where user_id = ${userId}::uuid) head,
        (values ${valuesOf(events)}) as v(n, type, payload)
      returning seq`,
  );
  return events.map((event, n) => ({ log: 'user', userId, seq: seqs[n]!, at, event }));
}

/** As `appendUserEvents`, for the broadcast log (one lock for everyone). */
export async function appendBroadcastEvents(
  tx: Database,
  events: readonly ServerEvent[],
  at: Date,
): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  await tx.execute(sql`select pg_advisory_xact_lock(${broadcastLogLock}, 0)`);
  const seqs = await insertNumbered(
    tx,
    sql`insert into ${broadcastEvents} (seq, type, payload, created_at)
      select head.seq + v.n, v.type, v.payload, ${at.toISOString()}::timestamptz
      from (select coalesce(max(seq), 0) as seq from ${broadcastEvents}) head,
        (values ${valuesOf(events)}) as v(n, type, payload)
      returning seq`,
  );
  return events.map((event, n) => ({ log: 'broadcast', seq: seqs[n]!, at, event }));
}

/** `(1, type, payload), (2, …)`: each event numbered from 1 in emit order. */
function valuesOf(events: readonly LoggedEvent[]) {
  return sql.join(
    events.map((event, n) => sql`(${n + 1}::int, ${event.type}::text, ${JSON.stringify(event)}::jsonb)`),
    sql`, `,
  );
}

/** The seqs an INSERT … RETURNING seq wrote, ascending (RETURNING promises no order; they are consecutive). */
async function insertNumbered(tx: Database, query: ReturnType<typeof sql>): Promise<number[]> {
  const rows = await queryRows<{ seq: string | number | bigint }>(tx, query);
  return rows.map((row) => Number(row.seq)).sort((a, b) => a - b);
}

/** One event: `appendUserEvents` with a single element. */
export async function appendUserEvent(
  tx: Database,
  userId: string,
  event: LoggedEvent,
  at: Date,
): Promise<StoredEvent> {
  const [stored] = await appendUserEvents(tx, userId, [event], at);
  return stored!;
}

export async function appendBroadcastEvent(tx: Database, event: ServerEvent, at: Date): Promise<StoredEvent> {
  const [stored] = await appendBroadcastEvents(tx, [event], at);
  return stored!;
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
  toUser(userId: string, event: LoggedEvent): Promise<void>;
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
 * `emit` only collects: the events are written when `work` has finished, still in its
 * transaction, one batch per log (`appendUserEvents`, `appendBroadcastEvents`: one advisory lock,
 * one INSERT each), seqs in emit order. So the log's lock is the last a transaction takes (after
 * any chat and message rows: the lock order of answer-lifecycle.ts `moveAnswerIn`), held only
 * until commit, and nothing is written when `work` throws. A seq is known only after commit.
 * `beforePublish` runs after commit and before the events go out: dropping caches there (and
 * telling other instances through the bus) means a client reacting to the event reads fresh data.
 */
export async function withEvents<T>(
  deps: EventDeps,
  work: (tx: Database, emit: Emit) => Promise<T>,
  beforePublish?: (result: T) => Promise<void>,
): Promise<T> {
  let stored: StoredEvent[] = [];
  const result = await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    // Each event's log and its place in that log's batch, in emit order (the order they are published).
    const emitted: { batch: LoggedEvent[]; index: number }[] = [];
    const toUsers = new Map<string, LoggedEvent[]>();
    const toEveryone: LoggedEvent[] = [];
    const collect = (batch: LoggedEvent[], event: LoggedEvent) => {
      emitted.push({ batch, index: batch.length });
      batch.push(event);
    };
    const done = await work(tx, {
      toUser: async (userId, event) => {
        let batch = toUsers.get(userId);
        if (!batch) {
          batch = [];
          toUsers.set(userId, batch);
        }
        collect(batch, event);
      },
      toEveryone: async (event) => collect(toEveryone, event),
    });
    // Users' logs in a fixed order (by id), then the broadcast log: two transactions writing to
    // the same logs take their locks in the same order.
    const written = new Map<LoggedEvent[], StoredEvent[]>();
    for (const userId of [...toUsers.keys()].sort()) {
      const batch = toUsers.get(userId)!;
      written.set(batch, await appendUserEvents(tx, userId, batch, now));
    }
    // Only `toEveryone(event: ServerEvent)` fills it: a batch of deltas is a user's.
    written.set(toEveryone, await appendBroadcastEvents(tx, toEveryone as ServerEvent[], now));
    stored = emitted.map(({ batch, index }) => written.get(batch)![index]!);
    return done;
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
    event: loggedEventSchema.parse(r.payload),
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
