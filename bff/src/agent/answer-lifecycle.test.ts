import { messageStatuses } from '@atrium/contracts';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { messageColumns } from '../chats/answer-text.js';
import { loadConfig } from '../config.js';
import type { OpenDatabase } from '../db/index.js';
import { answerDeltas, chats, messages, userEvents } from '../db/schema/index.js';
import { maskAll } from '../guardrails/output-mask.js';
import { createLogger } from '../logger.js';
import { userChannel } from '../realtime/bus.js';
import { expandDeltaBatch, readUserEvents, withEvents } from '../realtime/event-log.js';
import { createInProcessBus } from '../realtime/in-process-bus.js';
import { createManualClock } from '../testing/manual-clock.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUser } from '../users/accounts.js';
import { type AnswerStatus, createAnswerLifecycle, moveAnswerIn } from './answer-lifecycle.js';
import { createLeaseSweeper } from './lease-sweeper.js';

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
    expect(types).toEqual(['message.deltas', 'message.updated', 'message.updated']);
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

describe('streamed text kept as delta rows (issue 12)', () => {
  const lifecycle = (mask = false) =>
    createAnswerLifecycle({ db: database.db, bus, clock, leaseMs: 5_000, ...(mask ? { mask: maskAll } : {}) });

  const stored = async (answerId: string) =>
    (await database.db.select({ content: messages.content }).from(messages).where(eq(messages.id, answerId)))[0]!
      .content;
  const deltaRows = async (answerId: string) =>
    database.db.select().from(answerDeltas).where(eq(answerDeltas.messageId, answerId));

  /** Appends `texts` as deltas from `first` on, in an order other than seq order when `shuffled`. */
  async function stream(ref: Awaited<ReturnType<typeof answerIn>>, texts: string[], first = 0) {
    const life = lifecycle();
    for (const [i, text] of texts.entries()) expect(await life.appendText(ref, text, first + i)).toBe(true);
  }

  it('writes a delta as a row, not into content, and folds the rows in seq order when the answer completes', async () => {
    const ref = await answerIn('retrieving');
    const life = lifecycle();
    // Appended out of seq order: the fold follows seq, not arrival.
    expect(await life.appendText(ref, ' three', 2)).toBe(true);
    expect(await life.appendText(ref, ' one', 0)).toBe(true);
    expect(await life.appendText(ref, ' two', 1)).toBe(true);
    expect(await stored(ref.answerId)).toBe('so far');
    expect(await deltaRows(ref.answerId)).toHaveLength(3);
    const done = await life.move(ref, 'complete');
    expect(done).toMatchObject({ content: 'so far one two three', deltaSeq: 2 });
    expect(await stored(ref.answerId)).toBe('so far one two three');
    expect(await deltaRows(ref.answerId)).toEqual([]);
    const updated = (await eventsFor(ref.answerId)).find((e) => e.type === 'message.updated');
    expect(updated?.payload).toMatchObject({ message: { content: 'so far one two three', status: 'complete' } });
  });

  it('a move that writes the whole text replaces content and drops the deltas', async () => {
    const ref = await answerIn('retrieving');
    await stream(ref, [' streamed']);
    const done = await lifecycle().move(ref, 'failed', { content: 'the whole text' });
    expect(done).toMatchObject({ content: 'the whole text', deltaSeq: 0 });
    expect(await deltaRows(ref.answerId)).toEqual([]);
  });

  it('a running move reports the text so far and keeps the deltas as rows', async () => {
    const ref = await answerIn('retrieving');
    await stream(ref, [' a', ' b']);
    const moved = await lifecycle().move(ref, 'calling_tool', { steps: [] });
    expect(moved).toMatchObject({ content: 'so far a b', deltaSeq: 1 });
    expect(await stored(ref.answerId)).toBe('so far');
    expect(await deltaRows(ref.answerId)).toHaveLength(2);
  });

  it('a stop keeps the text streamed so far, then the stream masker’s held-back tail after it', async () => {
    const ref = await answerIn('retrieving');
    await stream(ref, [' a', ' b']);
    const life = lifecycle();
    expect((await life.move(ref, 'stopped'))!.content).toBe('so far a b');
    expect(await deltaRows(ref.answerId)).toEqual([]);
    const usage = { promptTokens: 1, completionTokens: 1, costUsd: null };
    expect((await life.recordStoppedUsage(ref, usage, ' tail'))!.content).toBe('so far a b tail');
    expect(await stored(ref.answerId)).toBe('so far a b tail');
  });

  it('a stopped answer’s tail of refused deltas moves deltaSeq to the last of them (it names the last delta the text holds)', async () => {
    const ref = await answerIn('retrieving');
    await stream(ref, [' a', ' b']);
    const life = lifecycle();
    expect(await life.move(ref, 'stopped')).toMatchObject({ deltaSeq: 1 });
    // Deltas 2 and 3 were shown, then refused: the answer had stopped.
    expect(
      await life.appendDeltas(ref, [
        { seq: 2, text: ' c' },
        { seq: 3, text: ' d' },
      ]),
    ).toBe(false);
    const usage = { promptTokens: 1, completionTokens: 1, costUsd: null };
    expect(await life.recordStoppedUsage(ref, usage, ' c d', 3)).toMatchObject({
      content: 'so far a b c d',
      deltaSeq: 3,
    });
    // Stopped before any delta was stored: the tail's seq is the first deltaSeq.
    const early = await answerIn('retrieving');
    expect(await life.move(early, 'stopped')).toMatchObject({ deltaSeq: null });
    expect(await life.recordStoppedUsage(early, usage, ' x', 0)).toMatchObject({ content: 'so far x', deltaSeq: 0 });
  });

  it('fails without a text of its own keeping the streamed text', async () => {
    const ref = await answerIn('retrieving');
    await stream(ref, [' a']);
    expect((await lifecycle().move(ref, 'failed', { error: { code: 'x', message: 'x' } }))!.content).toBe('so far a');
    expect(await deltaRows(ref.answerId)).toEqual([]);
  });

  it('the lease sweeper’s interrupted move keeps the streamed text', async () => {
    const ref = await answerIn('retrieving');
    await stream(ref, [' half', ' of it']);
    const sweeper = createLeaseSweeper({
      db: database.db,
      bus,
      clock,
      logger: createLogger('error', () => undefined),
      intervalMs: 3_600_000,
      eventRetentionMs: 3_600_000,
      leaseMs: 5_000,
    });
    try {
      clock.advance(5_001);
      expect(await sweeper.sweep()).toBeGreaterThanOrEqual(1);
    } finally {
      sweeper.close();
    }
    expect(await statusOf(ref.answerId)).toBe('interrupted');
    expect(await stored(ref.answerId)).toBe('so far half of it');
    expect(await deltaRows(ref.answerId)).toEqual([]);
  });

  it('an answer awaiting approval (masked move, steps only) holds its text, and continues after it', async () => {
    const ref = await answerIn('retrieving');
    await stream(ref, [' before']);
    const masked = lifecycle(true);
    expect((await masked.move(ref, 'awaiting_approval', { steps: [] }))!.content).toBe('so far before');
    expect(await deltaRows(ref.answerId)).toEqual([]);
    const resumed = await masked.move(ref, 'streaming', { steps: [] }, { from: ['awaiting_approval'] });
    expect(resumed!.deltaSeq).toBe(0);
    await stream(ref, ['\n\nafter'], resumed!.deltaSeq! + 1);
    expect((await masked.move(ref, 'complete', { steps: [] }))!.content).toBe('so far before\n\nafter');
    expect(await deltaRows(ref.answerId)).toEqual([]);
  });

  it('stores U+0000 and lone surrogates in a delta repaired, as the text is sent', async () => {
    const ref = await answerIn('retrieving');
    await stream(ref, [' a\u0000b\ud800c']);
    const delta = (await eventsFor(ref.answerId)).find((e) => e.type === 'message.deltas');
    expect(delta?.payload).toMatchObject({ deltas: [{ text: ' a\uFFFDb\uFFFDc' }] });
    expect((await lifecycle().move(ref, 'complete'))!.content).toBe('so far a\uFFFDb\uFFFDc');
  });

  it('a stop racing deltas keeps exactly the deltas that were accepted, in order', async () => {
    const ref = await answerIn('retrieving');
    const life = lifecycle();
    expect(await life.appendText(ref, ' 0', 0)).toBe(true);
    const texts = Array.from({ length: 8 }, (_, i) => ` ${i + 1}`);
    const [stopped, ...accepted] = await Promise.all([
      life.move(ref, 'stopped'),
      ...texts.map((text, i) => life.appendText(ref, text, i + 1)),
    ]);
    expect(stopped).not.toBeNull();
    const kept = [' 0', ...texts.filter((_, i) => accepted[i])].join('');
    expect(await stored(ref.answerId)).toBe(`so far${kept}`);
    expect(await deltaRows(ref.answerId)).toEqual([]);
  });

  it('deleting the chat deletes its answers’ deltas', async () => {
    const ref = await answerIn('retrieving');
    await stream(ref, [' a']);
    await database.db.delete(chats).where(eq(chats.id, ref.chatId));
    expect(await deltaRows(ref.answerId)).toEqual([]);
  });
});

describe('deltas shown live, stored in batches (issue 12, two cadences)', () => {
  const life = () => createAnswerLifecycle({ db: database.db, bus, clock, leaseMs: 5_000 });
  const deltaRows = async (answerId: string) =>
    database.db.select().from(answerDeltas).where(eq(answerDeltas.messageId, answerId)).orderBy(answerDeltas.seq);
  const batch = (first: number, texts: string[]) => texts.map((text, i) => ({ seq: first + i, text }));

  it('shows a delta on the bus as a live event and writes nothing', async () => {
    const ref = await answerIn('retrieving');
    const heard: unknown[] = [];
    const unsubscribe = await bus.subscribe(userChannel(userId), (message) => heard.push(message));
    try {
      await life().showDelta(ref, 0, ' a\u0000');
      await new Promise((resolve) => setTimeout(resolve, 0));
    } finally {
      unsubscribe();
    }
    expect(heard).toEqual([
      {
        kind: 'live-event',
        userId,
        event: { type: 'message.delta', chatId: ref.chatId, messageId: ref.answerId, seq: 0, text: ' a\uFFFD' },
      },
    ]);
    expect(await eventsFor(ref.answerId)).toEqual([]);
    expect(await deltaRows(ref.answerId)).toEqual([]);
    expect(await statusOf(ref.answerId)).toBe('retrieving');
  });

  it('stores a batch in one transaction: one row for the batch in answer_deltas, one in the user’s log', async () => {
    const ref = await answerIn('retrieving');
    const transactions = vi.spyOn(database.db, 'transaction');
    try {
      expect(await life().appendDeltas(ref, batch(0, [' one', ' two', ' three']))).toBe(true);
      expect(transactions).toHaveBeenCalledTimes(1);
    } finally {
      transactions.mockRestore();
    }
    expect(await statusOf(ref.answerId)).toBe('streaming');
    expect((await deltaRows(ref.answerId)).map((row) => [row.seq, row.text])).toEqual([[2, ' one two three']]);
    // One log row holds every delta of the batch (the event stream expands it, sse.ts): a store
    // costs the same however many deltas it holds.
    const logged = await eventsFor(ref.answerId);
    expect(logged.map((e) => e.payload)).toEqual([
      {
        type: 'message.deltas',
        chatId: ref.chatId,
        messageId: ref.answerId,
        deltas: [
          { seq: 0, text: ' one' },
          { seq: 1, text: ' two' },
          { seq: 2, text: ' three' },
        ],
      },
    ]);
  });

  it('refuses a whole batch once the answer was stopped, writing nothing', async () => {
    const ref = await answerIn('retrieving');
    expect(await life().appendDeltas(ref, batch(0, [' kept']))).toBe(true);
    expect(await life().move(ref, 'stopped')).not.toBeNull();
    const before = (await eventsFor(ref.answerId)).length;
    expect(await life().appendDeltas(ref, batch(1, [' late', ' later']))).toBe(false);
    expect((await eventsFor(ref.answerId)).length).toBe(before);
    expect(await deltaRows(ref.answerId)).toEqual([]);
    const [row] = await database.db.select().from(messages).where(eq(messages.id, ref.answerId));
    expect(row).toMatchObject({ content: 'so far kept', deltaSeq: 0 });
  });

  it('readers and the fold see batched rows as the text so far, deltaSeq the last delta in them', async () => {
    const ref = await answerIn('retrieving');
    expect(await life().appendDeltas(ref, batch(0, [' a', ' b']))).toBe(true);
    expect(await life().appendDeltas(ref, batch(2, [' c', ' d', ' e']))).toBe(true);
    const [reading] = await database.db.select(messageColumns).from(messages).where(eq(messages.id, ref.answerId));
    expect(reading).toMatchObject({ content: 'so far a b c d e', deltaSeq: 4 });
    const done = await life().move(ref, 'complete');
    expect(done).toMatchObject({ content: 'so far a b c d e', deltaSeq: 4 });
    expect(await deltaRows(ref.answerId)).toEqual([]);
  });

  it('a replay of the log after a reconnect yields the stored text, each delta once', async () => {
    const ref = await answerIn('retrieving');
    const texts = Array.from({ length: 9 }, (_, i) => ` w${i}`);
    expect(await life().appendDeltas(ref, batch(0, texts.slice(0, 1)))).toBe(true);
    expect(await life().appendDeltas(ref, batch(1, texts.slice(1, 5)))).toBe(true);
    expect(await life().appendDeltas(ref, batch(5, texts.slice(5)))).toBe(true);
    const logged = (await readUserEvents(database.db, userId, 0, { limit: 100_000 })).flatMap((e) =>
      e.event.type === 'message.deltas' && e.event.messageId === ref.answerId ? expandDeltaBatch(e.event) : [],
    );
    expect(logged.map((e) => e.seq)).toEqual(texts.map((_, i) => i));
    const done = await life().move(ref, 'complete');
    expect(`so far${logged.map((e) => e.text).join('')}`).toBe(done!.content);
  });
});
