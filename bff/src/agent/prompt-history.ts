import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { messages } from '../db/schema/index.js';
import type { LlmTurn } from './llm-client.js';
import { type StoredTurn, standingTurns } from './standing-turns.js';
import { fitHistory, turnTokens } from './token-budget.js';

/** A stored message as the prompt needs it, with its place in the chat (`messages.position`). */
export type HistoryRow = StoredTurn & { position: number };

/** Up to `limit` of the chat's messages with a position below `before`, newest first. */
export type HistoryPages = (before: number, limit: number) => Promise<HistoryRow[]>;

/**
 * Estimated tokens per stored message that sizes the first page: `budget / 125` rows is 64 at
 * the default budget of 8,000, which holds the prompt of bench/prompt-build.ts's long chat
 * (~180 tokens a message, 44 rows needed) in one read. Bigger budgets start with a bigger page.
 */
const firstPageTokensPerRow = 125;
const minPageRows = 16;
const maxPageRows = 1_024;

/** Rows of the first page read for a prompt of `budget` estimated tokens (16 to 1,024). */
export const firstPageRows = (budget: number) =>
  Math.min(maxPageRows, Math.max(minPageRows, Math.ceil(budget / firstPageTokensPerRow)));

/**
 * Rows of the next page: the tokens still missing at the average cost of the rows read so far
 * (their `turnTokens`), half as many again plus a few for answers `standingTurns` leaves out,
 * so one more read usually fills the budget (the pages doubled before: 64, 128, …).
 */
function nextPageRows(missing: number, read: readonly HistoryRow[]): number {
  const readTokens = read.reduce((sum, row) => sum + turnTokens(row), 0);
  const perRow = readTokens / Math.max(1, read.length);
  return Math.min(maxPageRows, Math.max(minPageRows, Math.ceil((missing / perRow) * 1.5) + 8));
}

/**
 * The prompt an answer at `position` is given, reading the chat from the newest message back one
 * keyset page at a time and stopping once the token budget is full, instead of loading the whole
 * conversation. Returns exactly what `fitHistory(system, standingTurns(answering, everything
 * before position), budget)` returns:
 *
 * - Every answer comes after the question it answers, so the turns of the questions read so far
 *   (each with its newest usable answer, `standingTurns`) are already final, and they are the
 *   newest turns of the whole conversation. Answers read whose question is older are left out by
 *   `standingTurns` (it only returns turns of questions it saw).
 * - `fitHistory` keeps turns from the newest back and stops at the first that does not fit. Once
 *   the turns read cost more than the budget leaves after the system prompt, that stop falls among
 *   them, so older messages cannot change the result and are never read.
 *
 * `budget` is in estimated tokens (`token-budget.ts`); `pages` reads the chat (`historyPages`).
 */
export async function fitNewestHistory(
  pages: HistoryPages,
  input: { position: number; answering: string | null; system: LlmTurn; budget: number },
): Promise<LlmTurn[]> {
  const left = input.budget - turnTokens(input.system);
  let read: HistoryRow[] = [];
  let before = input.position;
  let limit = firstPageRows(input.budget);
  for (;;) {
    const page = await pages(before, limit);
    // Newest first from the query; `standingTurns` wants the oldest first.
    const oldestFirst = page.reverse();
    read = [...oldestFirst, ...read];
    const turns = standingTurns(input.answering, read);
    const complete = page.length < limit;
    const used = turns.reduce((sum, turn) => sum + turnTokens(turn), 0);
    if (complete || used > left) return fitHistory(input.system, turns, input.budget);
    before = oldestFirst[0]!.position;
    limit = nextPageRows(left - used, read);
  }
}

/*
 * The page query runs for every answer: a prepared statement (as the chat list's, chats/repository.ts),
 * reading only the columns the prompt uses. Keyset on `position`, served by messages_chat_position_idx.
 */
const pageQueries = new WeakMap<Database, ReturnType<typeof preparePage>>();

function preparePage(db: Database) {
  return db
    .select({
      id: messages.id,
      position: messages.position,
      role: messages.role,
      content: messages.content,
      status: messages.status,
      replyTo: messages.replyTo,
    })
    .from(messages)
    .where(
      and(
        eq(messages.chatId, sql.placeholder('chatId')),
        eq(messages.userId, sql.placeholder('userId')),
        lt(messages.position, sql.placeholder('before')),
      ),
    )
    .orderBy(desc(messages.position))
    .limit(sql.placeholder('limit'))
    .prepare('atrium_history_page');
}

/**
 * `pages` with its first page (the newest `firstPageRows(budget)` before `position`, the page
 * `fitNewestHistory` reads first for that budget) already asked for, so the read overlaps other work; `first()`
 * resolves to it (e.g. to find the question in it). Any other page is read when asked for.
 */
export function prefetchFirstPage(
  pages: HistoryPages,
  position: number,
  budget: number,
): { pages: HistoryPages; first: () => Promise<HistoryRow[]> } {
  const firstLimit = firstPageRows(budget);
  const first = pages(position, firstLimit);
  // A failed read surfaces where the page is awaited, not as an unhandled rejection.
  first.catch(() => undefined);
  // fitNewestHistory reverses the page it gets: each caller gets its own copy.
  return {
    first: () => first.then((rows) => [...rows]),
    pages: (before, limit) =>
      before === position && limit === firstLimit ? first.then((rows) => [...rows]) : pages(before, limit),
  };
}

/** The keyset pages of one chat of one user (the owner is in the SQL, as everywhere in chats/). */
export function historyPages(db: Database, userId: string, chatId: string): HistoryPages {
  let query = pageQueries.get(db);
  if (!query) {
    query = preparePage(db);
    pageQueries.set(db, query);
  }
  const prepared = query;
  return (before, limit) => prepared.execute({ chatId, userId, before, limit });
}
