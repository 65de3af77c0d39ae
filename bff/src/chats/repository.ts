import { runningMessageStatuses } from '@atrium/contracts';
import { and, asc, desc, eq, ilike, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { escapeLike } from '../db/like-pattern.js';
import { rawSelect, tableReader } from '../db/raw-select.js';
import { type ChatRow, chats, type MessageRow, messages } from '../db/schema/index.js';
import { chatListCursor, messageCursor } from '../page-cursor.js';
import { messageColumns } from './answer-text.js';

/*
 * Every query names the owner: `user_id = $me` is in the SQL, so another user's chat id
 * matches nothing and looks exactly like a chat that does not exist.
 */

export interface Page<T> {
  rows: T[];
  nextCursor: string | null;
}

/*
 * The chat list is the most frequent read: one prepared statement per query shape (search or
 * not, first page or not), built once per database, so neither drizzle nor Postgres redoes the
 * work on every request; its rows are read raw (db/raw-select.ts).
 */
const chatListQueries = new WeakMap<Database, Map<string, ReturnType<typeof prepareChatList>>>();

function prepareChatList(db: Database, search: boolean, after: boolean) {
  const conditions = [eq(chats.userId, sql.placeholder('userId'))];
  if (search) conditions.push(ilike(chats.title, sql.placeholder('pattern')));
  if (after) {
    conditions.push(
      sql`(${chats.updatedAt}, ${chats.id}) < (${sql.placeholder('afterAt')}::timestamptz, ${sql.placeholder('afterId')}::uuid)`,
    );
  }
  return rawSelect(
    db,
    chatListStatementName(search, after),
    () =>
      db
        .select()
        .from(chats)
        .where(and(...conditions))
        .orderBy(desc(chats.updatedAt), desc(chats.id))
        .limit(sql.placeholder('limit')),
    (values) => readChat(values, 0),
  );
}

const readChat = tableReader(chats);

/*
 * A search is sent as an unnamed statement, so PostgreSQL plans it for its pattern: a rare one
 * reads chats_user_title_trgm_idx, a common one walks the list in order and stops at the limit.
 * A named statement switches to one generic plan after five runs, and that plan walked all of a
 * user's chats for every rare pattern (node-postgres prepares by name only when it has one).
 */
const unnamed = '';

/** The cache key of a list shape, which is also its statement's name (a search's is sent unnamed). */
const chatListKey = (search: boolean, after: boolean) =>
  `atrium_list_chats_${search ? 'q' : 'all'}_${after ? 'after' : 'first'}`;

/** The prepared statement name a list shape is sent under: '' (unnamed) for a search. */
export const chatListStatementName = (search: boolean, after: boolean) =>
  search ? unnamed : chatListKey(search, after);

function chatListQuery(db: Database, search: boolean, after: boolean) {
  const name = chatListKey(search, after);
  let queries = chatListQueries.get(db);
  if (!queries) {
    queries = new Map();
    chatListQueries.set(db, queries);
  }
  let query = queries.get(name);
  if (!query) {
    query = prepareChatList(db, search, after);
    queries.set(name, query);
  }
  return query;
}

export async function listChats(
  db: Database,
  userId: string,
  query: { cursor?: string | undefined; limit: number; q?: string | undefined },
): Promise<Page<ChatRow>> {
  const after = query.cursor ? chatListCursor.decode(query.cursor) : null;
  const rows = await chatListQuery(
    db,
    Boolean(query.q),
    after !== null,
  )({
    userId,
    pattern: query.q ? `%${escapeLike(query.q)}%` : null,
    afterAt: after?.at.toISOString() ?? null,
    afterId: after?.id ?? null,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > query.limit && last ? chatListCursor.encode(last.updatedAt, last.id) : null,
  };
}

export async function findChat(
  db: Database,
  userId: string,
  chatId: string,
  options: { lock?: boolean } = {},
): Promise<ChatRow | null> {
  const query = db
    .select()
    .from(chats)
    .where(and(eq(chats.id, chatId), eq(chats.userId, userId)))
    .limit(1);
  const [row] = options.lock ? await query.for('update') : await query;
  return row ?? null;
}

/** Newest page first in the query, returned oldest first; the cursor pages further into the past. */
export async function listMessages(
  db: Database,
  userId: string,
  chatId: string,
  query: { cursor?: string | undefined; limit: number },
): Promise<Page<MessageRow>> {
  const conditions = [eq(messages.chatId, chatId), eq(messages.userId, userId)];
  if (query.cursor) {
    const before = messageCursor.decode(query.cursor);
    conditions.push(
      sql`(${messages.createdAt}, ${messages.position}) < (${before.at.toISOString()}::timestamptz, ${before.id})`,
    );
  }
  const rows = await db
    .select(messageColumns)
    .from(messages)
    .where(and(...conditions))
    .orderBy(desc(messages.createdAt), desc(messages.position))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const oldest = page.at(-1);
  return {
    rows: page.reverse(),
    nextCursor: rows.length > query.limit && oldest ? messageCursor.encode(oldest.createdAt, oldest.position) : null,
  };
}

/** The whole conversation up to (not including) a message, oldest first: what the model is shown. */
export async function messagesBefore(db: Database, userId: string, chatId: string, position: number) {
  return db
    .select(messageColumns)
    .from(messages)
    .where(and(eq(messages.chatId, chatId), eq(messages.userId, userId), lt(messages.position, position)))
    .orderBy(asc(messages.position));
}

export async function findMessage(db: Database, userId: string, messageId: string): Promise<MessageRow | null> {
  const [row] = await db
    .select(messageColumns)
    .from(messages)
    .where(and(eq(messages.id, messageId), eq(messages.userId, userId)))
    .limit(1);
  return row ?? null;
}

export async function findByIdempotencyKey(db: Database, userId: string, chatId: string, key: string) {
  const [message] = await db
    .select(messageColumns)
    .from(messages)
    .where(and(eq(messages.chatId, chatId), eq(messages.userId, userId), eq(messages.idempotencyKey, key)))
    .limit(1);
  if (!message) return null;
  const [answer] = await db
    .select(messageColumns)
    .from(messages)
    .where(and(eq(messages.replyTo, message.id), eq(messages.userId, userId)))
    .orderBy(asc(messages.position))
    .limit(1);
  return answer ? { message, answer } : null;
}

export async function runningAnswer(db: Database, userId: string, chatId: string): Promise<MessageRow | null> {
  const [row] = await db
    .select(messageColumns)
    .from(messages)
    .where(
      and(
        eq(messages.chatId, chatId),
        eq(messages.userId, userId),
        eq(messages.role, 'assistant'),
        inArray(messages.status, [...runningMessageStatuses]),
      ),
    )
    .limit(1);
  return row ?? null;
}

export async function lastUserMessage(db: Database, userId: string, chatId: string): Promise<MessageRow | null> {
  const [row] = await db
    .select(messageColumns)
    .from(messages)
    .where(and(eq(messages.chatId, chatId), eq(messages.userId, userId), eq(messages.role, 'user')))
    .orderBy(desc(messages.position))
    .limit(1);
  return row ?? null;
}

export async function touchChat(db: Database, chatId: string, patch: Partial<typeof chats.$inferInsert>) {
  const [row] = await db.update(chats).set(patch).where(eq(chats.id, chatId)).returning();
  return row ?? null;
}
