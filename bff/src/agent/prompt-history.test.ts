import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesBefore } from '../chats/repository.js';
import type { Database } from '../db/index.js';
import * as schema from '../db/schema/index.js';
import { chats, messages } from '../db/schema/index.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import type { LlmTurn } from './llm-client.js';
import { fitNewestHistory, type HistoryRow, historyPages } from './prompt-history.js';
import { standingTurns } from './standing-turns.js';
import { fitHistory } from './token-budget.js';

/*
 * The prompt read from the newest message back must be the prompt the whole conversation gave
 * (standingTurns over every earlier message, then fitHistory): same turns, same order, same cut.
 */

const system: LlmTurn = { role: 'system', content: 'You answer questions.' };

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

interface Client {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** The algorithm before keyset pages: everything before `position`, oldest first. */
const wholeHistoryPrompt = (rows: readonly HistoryRow[], position: number, answering: string | null, budget: number) =>
  fitHistory(
    system,
    standingTurns(
      answering,
      rows.filter((row) => row.position < position),
    ),
    budget,
  );

/** Pages over rows held in memory (oldest first), newest first as the query returns them; counts what was read. */
function memoryPages(rows: readonly HistoryRow[]) {
  const read = { rows: 0, pages: 0 };
  const pages = async (before: number, limit: number) => {
    read.pages += 1;
    const page = rows
      .filter((row) => row.position < before)
      .reverse()
      .slice(0, limit);
    read.rows += page.length;
    return page;
  };
  return { pages, read };
}

/** A deterministic generator (mulberry32), so a failure names its seed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A chat of `questions` questions with what real chats hold: regenerated answers (the newer
 * replaces the older), failed and empty answers (left out), answers stored without `replyTo`
 * (they belong to the question before them), and texts from a few characters to a few thousand.
 */
function chat(questions: number, seed: number): HistoryRow[] {
  const next = random(seed);
  const rows: HistoryRow[] = [];
  const text = (prefix: string) => `${prefix} ${'x'.repeat(Math.floor(next() ** 3 * 3_000))}`;
  for (let q = 0; q < questions; q++) {
    const id = `q${q}`;
    rows.push({ id, position: 0, role: 'user', content: text(id), status: 'complete', replyTo: null });
    const answers = Math.floor(next() * 3);
    for (let a = 0; a < answers; a++) {
      const roll = next();
      rows.push({
        id: `${id}a${a}`,
        position: 0,
        role: 'assistant',
        content: roll < 0.1 ? '' : text(`${id}a${a}`),
        status: roll < 0.2 ? 'failed' : roll < 0.3 ? 'stopped' : 'complete',
        replyTo: roll > 0.9 ? null : id,
      });
    }
  }
  return rows.map((row, n) => ({ ...row, position: (n + 1) * 3 }));
}

describe('fitNewestHistory', () => {
  it('gives a short chat the whole conversation, as before', async () => {
    const rows = chat(5, 1);
    const end = rows.at(-1)!.position + 1;
    const { pages, read } = memoryPages(rows);
    const prompt = await fitNewestHistory(pages, { position: end, answering: 'q4', system, budget: 100_000 });
    expect(prompt).toEqual(wholeHistoryPrompt(rows, end, 'q4', 100_000));
    expect(prompt.length).toBeGreaterThan(5);
    expect(read.pages).toBe(1);
  });

  it('gives a chat too long for the budget the same trimmed prompt, reading only its newest part', async () => {
    const rows = chat(1_000, 2);
    const end = rows.at(-1)!.position + 1;
    const { pages, read } = memoryPages(rows);
    const prompt = await fitNewestHistory(pages, { position: end, answering: 'q999', system, budget: 8_000 });
    const before = wholeHistoryPrompt(rows, end, 'q999', 8_000);
    expect(prompt).toEqual(before);
    expect(before.length).toBeLessThan(rows.length / 4);
    expect(read.rows).toBeLessThan(rows.length / 4);
  });

  it('matches the whole-history prompt for many chats, budgets and positions (regenerations, failures, no replyTo)', async () => {
    for (let seed = 10; seed < 70; seed++) {
      const next = random(seed);
      const rows = chat(Math.floor(next() * 400), seed);
      const budget = 256 + Math.floor(next() * 20_000);
      // An answer at the end, or one in the middle (a regenerated answer replying to an older question).
      const cut = rows.length === 0 ? 0 : Math.floor(next() * rows.length);
      const position = next() < 0.5 ? (rows.at(-1)?.position ?? 0) + 1 : (rows[cut]?.position ?? 0) + 1;
      const questions = rows.filter((row) => row.role === 'user' && row.position < position);
      const answering = questions.length > 0 ? questions[Math.floor(next() * questions.length)]!.id : null;
      const { pages } = memoryPages(rows);
      const prompt = await fitNewestHistory(pages, { position, answering, system, budget });
      expect(prompt, `seed ${seed}`).toEqual(wholeHistoryPrompt(rows, position, answering, budget));
    }
  });

  /** Questions and answers of one size each (`tokens` estimated tokens a message), oldest first. */
  const uniform = (count: number, tokens: number): HistoryRow[] =>
    Array.from({ length: count }, (_, n) => ({
      id: `m${n}`,
      position: n + 1,
      role: n % 2 === 0 ? ('user' as const) : ('assistant' as const),
      content: 'z'.repeat((tokens - 4) * 4),
      status: 'complete' as const,
      replyTo: n % 2 === 0 ? null : `m${n - 1}`,
    }));

  it('reads one page sized from the budget when it holds the prompt, else one more sized from what was read', async () => {
    // 8,000 tokens: a first page of 64 rows. At 150 tokens a message 64 rows hold the budget.
    const wide = uniform(2_000, 150);
    const wideRead = memoryPages(wide);
    const widePrompt = await fitNewestHistory(wideRead.pages, {
      position: 2_001,
      answering: null,
      system,
      budget: 8_000,
    });
    expect(widePrompt).toEqual(wholeHistoryPrompt(wide, 2_001, null, 8_000));
    expect(wideRead.read).toEqual({ pages: 1, rows: 64 });
    // At 100 tokens a message the budget needs ~80 rows: a second page of what is missing
    // (~1,600 tokens at 100 a row, half as many again, plus 8), where pages doubled before (128).
    const narrow = uniform(2_000, 100);
    const narrowRead = memoryPages(narrow);
    const narrowPrompt = await fitNewestHistory(narrowRead.pages, {
      position: 2_001,
      answering: null,
      system,
      budget: 8_000,
    });
    expect(narrowPrompt).toEqual(wholeHistoryPrompt(narrow, 2_001, null, 8_000));
    expect(narrowRead.read.pages).toBe(2);
    expect(narrowRead.read.rows).toBeLessThan(64 + 40);
  });

  it('reads a whole long chat for a large budget in pages of up to 1,024 rows', async () => {
    const rows = uniform(2_000, 20);
    const { pages, read } = memoryPages(rows);
    const prompt = await fitNewestHistory(pages, { position: 2_001, answering: null, system, budget: 1_000_000 });
    expect(prompt).toEqual(wholeHistoryPrompt(rows, 2_001, null, 1_000_000));
    expect(prompt).toHaveLength(2_001);
    expect(read).toEqual({ pages: 2, rows: 2_000 });
  });

  it('matches the whole-history prompt when the chat or the budget ends at a page boundary', async () => {
    for (const count of [15, 16, 17, 63, 64, 65, 127, 128, 129]) {
      const rows = uniform(count, 50);
      const end = count + 1;
      // Budgets around what the newest 16, 64 and 128 rows cost (the cut falls on either side).
      for (const budget of [256, 800, 810, 3_200, 3_210, 6_400, 6_410, 8_000, 100_000]) {
        const { pages } = memoryPages(rows);
        const answering = rows.filter((row) => row.role === 'user').at(-1)?.id ?? null;
        const prompt = await fitNewestHistory(pages, { position: end, answering, system, budget });
        expect(prompt, `${count} rows, budget ${budget}`).toEqual(wholeHistoryPrompt(rows, end, answering, budget));
      }
    }
  });

  it('keeps the cut newest question when it alone is over the budget', async () => {
    const rows: HistoryRow[] = [
      { id: 'q0', position: 1, role: 'user', content: 'short', status: 'complete', replyTo: null },
      { id: 'q1', position: 2, role: 'user', content: 'y'.repeat(10_000), status: 'complete', replyTo: null },
    ];
    const prompt = await fitNewestHistory(memoryPages(rows).pages, {
      position: 3,
      answering: 'q1',
      system,
      budget: 300,
    });
    expect(prompt).toEqual(wholeHistoryPrompt(rows, 3, 'q1', 300));
    expect(prompt).toHaveLength(2);
  });
});

describe('historyPages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reads the same prompt from the database as the whole-history read did, on a chat of 300 messages', async () => {
    const me = await t.createUser({ email: 'long-chat@example.com' });
    const now = t.clock.now();
    const [row] = await t.db
      .insert(chats)
      .values({ userId: me.id, title: 'long', agentId: 'default', createdAt: now, updatedAt: now })
      .returning();
    const chatId = row!.id;
    const shape = chat(150, 5);
    const ids = new Map<string, string>();
    for (const message of shape) {
      const [stored] = await t.db
        .insert(messages)
        .values({
          chatId,
          userId: me.id,
          role: message.role,
          content: message.content,
          status: message.status,
          replyTo: message.replyTo ? ids.get(message.replyTo)! : null,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      ids.set(message.id, stored!.id);
    }
    const everything = await messagesBefore(t.db, me.id, chatId, Number.MAX_SAFE_INTEGER);
    const last = everything.at(-1)!;
    const answering = everything.filter((m) => m.role === 'user').at(-1)!.id;
    for (const budget of [500, 4_000, 1_000_000]) {
      const before = fitHistory(system, standingTurns(answering, everything), budget);
      const prompt = await fitNewestHistory(historyPages(t.db, me.id, chatId), {
        position: last.position + 1,
        answering,
        system,
        budget,
      });
      expect(prompt).toEqual(before);
    }
    // Another user's id reads nothing of the chat.
    const other = await t.createUser({ email: 'other@example.com' });
    expect(await historyPages(t.db, other.id, chatId)(last.position + 1, 10)).toEqual([]);
  });

  it('reads a page of a 2,000-message chat from messages_chat_position_idx, without sorting the chat', async () => {
    const me = await t.createUser({ email: 'plan@example.com' });
    const now = t.clock.now();
    const [row] = await t.db
      .insert(chats)
      .values({ userId: me.id, title: 'plan', agentId: 'default', createdAt: now, updatedAt: now })
      .returning();
    const chatId = row!.id;
    const shape = Array.from({ length: 2_000 }, (_, n) => ({
      chatId,
      userId: me.id,
      role: n % 2 === 0 ? ('user' as const) : ('assistant' as const),
      content: `message ${n} ${'lorem ipsum '.repeat(n % 2 === 0 ? 16 : 100)}`,
      status: 'complete' as const,
      createdAt: now,
      updatedAt: now,
    }));
    for (let i = 0; i < shape.length; i += 500) await t.db.insert(messages).values(shape.slice(i, i + 500));
    // A Sort node would mean the whole chat is read and sorted for every prompt. The tables as
    // they stand in service: PostgreSQL analyzed (autovacuum), PGlite never (it runs no
    // autovacuum; db/index.ts).
    const raw = (t.db as unknown as { $client: Client }).$client;
    if (t.driver === 'postgres') await raw.query('analyze messages');
    const captured: { sql: string; params: unknown[] }[] = [];
    const logger = { logQuery: (query: string, params: unknown[]) => captured.push({ sql: query, params }) };
    const recording = (t.driver === 'postgres'
      ? drizzlePg({ client: raw as never, schema, logger })
      : drizzlePglite({ client: raw as never, schema, logger })) as unknown as Database;
    expect(await historyPages(recording, me.id, chatId)(Number.MAX_SAFE_INTEGER, 64)).toHaveLength(64);
    const { rows } = await raw.query(`explain (format json) ${captured.at(-1)!.sql}`, captured.at(-1)!.params);
    const plan = rows[0]!['QUERY PLAN'];
    const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];
    const all = nodes((typeof plan === 'string' ? JSON.parse(plan) : plan)[0].Plan);
    expect(all.map((n) => n['Node Type'])).not.toContain('Sort');
    expect(all.map((n) => n['Index Name'])).toContain('messages_chat_position_idx');
  });
});
