import { messageStatuses } from '@atrium/contracts';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import type { OpenDatabase } from '../db/index.js';
import { chats, messages, userEvents } from '../db/schema/index.js';
import { withEvents } from '../realtime/event-log.js';
import { createInProcessBus } from '../realtime/in-process-bus.js';
import { createManualClock } from '../testing/manual-clock.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUser } from '../users/accounts.js';
import { type AnswerStatus, createAnswerLifecycle, moveAnswerIn } from './answer-lifecycle.js';

/**
 * Every move the lifecycle allows, written out independently of the module's table: the path
 * the issue gives, `pending → retrieving → streaming ⇄ calling_tool / awaiting_approval →
 * complete | failed | stopped | interrupted`. Everything else is refused.
 */
const allowed: Record<AnswerStatus, string> = {
  pending: 'retrieving failed stopped interrupted',
  retrieving: 'streaming calling_tool complete failed stopped interrupted',
  streaming: 'streaming calling_tool awaiting_approval complete failed stopped interrupted',
  calling_tool: 'calling_tool streaming awaiting_approval complete failed stopped interrupted',
  awaiting_approval: 'awaiting_approval streaming complete failed',
  complete: '',
  failed: '',
  stopped: '',
  interrupted: '',
};

const running = new Set(['pending', 'retrieving', 'streaming', 'calling_tool']);

let database: OpenDatabase;
const clock = createManualClock();
const bus = createInProcessBus();
let userId: string;
let chatId: string;

beforeAll(async () => {
  database = await openTestDatabase(loadConfig().database);
  const user = await createUser(database.db, {
    email: 'lifecycle@example.com',
    displayName: 'Life',
    role: 'user',
    password: 'a perfectly long password',
    now: clock.now(),
  });
  userId = user.id;
});
afterAll(async () => {
  await bus.close();
  await database.close();
});

/** A fresh chat holding one answer in `status` (a chat each, so the one-running-answer index never interferes). */
async function answerIn(status: AnswerStatus) {
  const now = clock.now();
  const [chat] = await database.db.insert(chats).values({ userId, createdAt: now, updatedAt: now }).returning();
  chatId = chat!.id;
  const [row] = await database.db
    .insert(messages)
    .values({ chatId, userId, role: 'assistant', status, content: 'so far', createdAt: now, updatedAt: now })
    .returning();
  return { userId, chatId, answerId: row!.id };
}

const statusOf = async (answerId: string) =>
  (await database.db.select({ status: messages.status }).from(messages).where(eq(messages.id, answerId)))[0]!.status;

const eventsFor = async (answerId: string) =>
  (await database.db.select().from(userEvents).where(eq(userEvents.userId, userId))).filter((e) =>
    JSON.stringify(e.payload).includes(answerId),
  );

describe('answer lifecycle', () => {
  const lifecycle = () => createAnswerLifecycle({ db: database.db, bus, clock, leaseMs: 5_000 });

  const table = messageStatuses.flatMap((from) =>
    messageStatuses.map((to) => ({ from, to, ok: allowed[from].split(' ').includes(to) })),
  );

  it.each(table)('$from → $to allowed: $ok', async ({ from, to, ok }) => {
    const ref = await answerIn(from);
    const row = await lifecycle().move(ref, to);
    if (ok) {
      expect(row?.status).toBe(to);
      // A running status holds a lease; any other holds none (the sweeper never touches it).
      expect(row!.leaseUntil === null).toBe(!running.has(to));
      expect((await eventsFor(ref.answerId)).map((e) => e.type)).toContain('message.updated');
    } else {
      expect(row).toBeNull();
      expect(await statusOf(ref.answerId)).toBe(from);
      expect(await eventsFor(ref.answerId)).toEqual([]);
    }
  });

  it('moves only from the statuses named in `from`: of two concurrent continuations one wins', async () => {
    const ref = await answerIn('awaiting_approval');
    const life = lifecycle();
    const from = { from: ['awaiting_approval'] as const };
    const [first, second] = await Promise.all([
      life.move(ref, 'streaming', {}, from),
      life.move(ref, 'streaming', {}, from),
    ]);
    expect([first, second].filter((row) => row !== null)).toHaveLength(1);
    expect(await statusOf(ref.answerId)).toBe('streaming');
    // A stale caller may not complete the answer it no longer owns; `from` never widens the table.
    expect(await life.move(ref, 'complete', { content: 'stale' }, from)).toBeNull();
    expect(await life.move(ref, 'pending', {}, { from: ['streaming'] })).toBeNull();
    expect(await statusOf(ref.answerId)).toBe('streaming');
  });

  it('writes a move and its events in one transaction: a failure after the move rolls back both', async () => {
    const ref = await answerIn('streaming');
    await expect(
      withEvents({ db: database.db, bus, clock }, async (tx, emit) => {
        await moveAnswerIn(tx, emit, ref, 'complete', { now: clock.now(), leaseMs: 5_000 }, { content: 'done' });
        throw new Error('crash after the move');
      }),
    ).rejects.toThrow('crash after the move');
    expect(await statusOf(ref.answerId)).toBe('streaming');
    expect(await eventsFor(ref.answerId)).toEqual([]);
  });

  it('appends text only while the answer runs, and records a stopped answer’s usage once', async () => {
    const ref = await answerIn('retrieving');
    const life = lifecycle();
    expect(await life.appendText(ref, ' and more', 0)).toBe(true);
    expect(await statusOf(ref.answerId)).toBe('streaming');
    expect(await life.move(ref, 'stopped')).not.toBeNull();
    expect(await life.appendText(ref, ' too late', 1)).toBe(false);
    const [row] = await database.db.select().from(messages).where(eq(messages.id, ref.answerId));
    expect(row!.content).toBe('so far and more');

    const usage = { promptTokens: 10, completionTokens: 3, costUsd: null };
    expect(await life.recordStoppedUsage(ref, usage)).toMatchObject({ promptTokens: 10 });
    expect(await life.recordStoppedUsage(ref, { ...usage, promptTokens: 99 })).toBeNull();
    const types = (await eventsFor(ref.answerId)).map((e) => e.type);
    expect(types).toEqual(['message.delta', 'message.updated', 'message.updated']);
  });

  it('keeps one running answer per chat, awaiting_approval not counted as running', async () => {
    const ref = await answerIn('awaiting_approval');
    const now = clock.now();
    // A second answer may run in the chat while the first waits for approval.
    await database.db
      .insert(messages)
      .values({ chatId: ref.chatId, userId, role: 'assistant', status: 'streaming', createdAt: now, updatedAt: now });
    // …but the waiting one cannot start running again beside it.
    await expect(lifecycle().move(ref, 'streaming')).rejects.toThrow();
    const waiting = await database.db
      .select()
      .from(messages)
      .where(and(eq(messages.chatId, ref.chatId), eq(messages.status, 'awaiting_approval')));
    expect(waiting).toHaveLength(1);
  });
});
