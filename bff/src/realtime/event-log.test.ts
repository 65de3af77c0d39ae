import type { ServerEvent } from '@atrium/contracts';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadcastEvents, userEvents } from '../db/schema/index.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import type { Bus, BusMessage } from './bus.js';
import { type EventDeps, withEvents } from './event-log.js';

/*
 * withEvents collects a transaction's events and writes each log's batch at the end of the work
 * (one lock, one INSERT per log). These pin what that must keep: seqs gap-free in emit order,
 * published in emit order after commit, nothing on rollback, and concurrent writers serialised.
 * Runs on PGlite, and on PostgreSQL (two connections really interleave) with DATABASE_URL.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** A bus that only records what is published, in order. */
function recordingDeps(): EventDeps & { published: BusMessage[] } {
  const published: BusMessage[] = [];
  const bus = {
    publish: async (_channel, message) => {
      published.push(message);
    },
  } as Pick<Bus, 'publish'> as Bus;
  return { db: t.db, bus, clock: t.clock, published };
}

const deleted = (chatId: string): ServerEvent => ({ type: 'chat.deleted', chatId });

const userLog = async (userId: string) =>
  (
    await t.db
      .select({ seq: userEvents.seq, payload: userEvents.payload })
      .from(userEvents)
      .where(eq(userEvents.userId, userId))
      .orderBy(asc(userEvents.seq))
  ).map((row) => ({ seq: row.seq, chatId: (row.payload as { chatId: string }).chatId }));

const broadcastHead = async () =>
  Number(
    (await t.db.select({ seq: sql<number>`coalesce(max(${broadcastEvents.seq}), 0)` }).from(broadcastEvents))[0]!.seq,
  );

describe('withEvents', () => {
  it('numbers several events of one transaction gap-free, in emit order, after what the log holds', async () => {
    const me = await t.createUser({ email: 'several@example.com' });
    const deps = recordingDeps();
    await withEvents(deps, (_tx, emit) => emit.toUser(me.id, deleted('a')));
    await withEvents(deps, async (_tx, emit) => {
      for (const chatId of ['b', 'c', 'd', 'e']) await emit.toUser(me.id, deleted(chatId));
    });
    expect(await userLog(me.id)).toEqual([
      { seq: 1, chatId: 'a' },
      { seq: 2, chatId: 'b' },
      { seq: 3, chatId: 'c' },
      { seq: 4, chatId: 'd' },
      { seq: 5, chatId: 'e' },
    ]);
    expect(deps.published.map((m) => (m.kind === 'user-event' ? m.seq : null))).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps each log gap-free and publishes in emit order when one transaction writes to several logs', async () => {
    const ann = await t.createUser({ email: 'ann@example.com' });
    const bob = await t.createUser({ email: 'bob@example.com' });
    const head = await broadcastHead();
    const deps = recordingDeps();
    await withEvents(deps, async (_tx, emit) => {
      await emit.toUser(bob.id, deleted('b1'));
      await emit.toEveryone(deleted('all1'));
      await emit.toUser(ann.id, deleted('a1'));
      await emit.toUser(bob.id, deleted('b2'));
      await emit.toEveryone(deleted('all2'));
    });
    expect(await userLog(ann.id)).toEqual([{ seq: 1, chatId: 'a1' }]);
    expect(await userLog(bob.id)).toEqual([
      { seq: 1, chatId: 'b1' },
      { seq: 2, chatId: 'b2' },
    ]);
    expect(
      deps.published.map((m) =>
        m.kind === 'user-event'
          ? `${m.userId === ann.id ? 'ann' : 'bob'} ${m.seq} ${(m.event as { chatId: string }).chatId}`
          : m.kind === 'broadcast-event'
            ? `all ${m.seq - head} ${(m.event as { chatId: string }).chatId}`
            : m.kind,
      ),
    ).toEqual(['bob 1 b1', 'all 1 all1', 'ann 1 a1', 'bob 2 b2', 'all 2 all2']);
  });

  it('writes and publishes nothing when the work throws after emitting', async () => {
    const me = await t.createUser({ email: 'rollback@example.com' });
    const head = await broadcastHead();
    const deps = recordingDeps();
    await expect(
      withEvents(deps, async (_tx, emit) => {
        await emit.toUser(me.id, deleted('x'));
        await emit.toEveryone(deleted('y'));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await userLog(me.id)).toEqual([]);
    expect(await broadcastHead()).toBe(head);
    expect(deps.published).toEqual([]);
    // The next transaction starts where the log really is.
    await withEvents(deps, (_tx, emit) => emit.toUser(me.id, deleted('z')));
    expect(await userLog(me.id)).toEqual([{ seq: 1, chatId: 'z' }]);
  });

  it("serialises concurrent transactions on one user's log: every seq once, each transaction's run contiguous", async () => {
    const me = await t.createUser({ email: 'concurrent@example.com' });
    const deps = recordingDeps();
    const writer = (name: string) =>
      withEvents(deps, async (tx, emit) => {
        for (let i = 0; i < 3; i++) {
          await emit.toUser(me.id, deleted(`${name}${i}`));
          // A query between emits, so that on PostgreSQL the transactions really overlap.
          await tx.execute(sql`select pg_sleep(0.01)`);
        }
      });
    await Promise.all(['p', 'q', 'r', 's'].map(writer));
    const log = await userLog(me.id);
    expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, n) => n + 1));
    for (let start = 0; start < 12; start += 3) {
      const name = log[start]!.chatId[0];
      expect(log.slice(start, start + 3).map((e) => e.chatId)).toEqual([`${name}0`, `${name}1`, `${name}2`]);
    }
  });
});
