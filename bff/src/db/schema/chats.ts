import { type AnswerStep, answerModes, type Citation, messageRoles, messageStatuses } from '@atrium/contracts';
import { sql } from 'drizzle-orm';
import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './users.js';

export const chats = pgTable(
  'chats',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Null until given or taken from the first message. */
    title: text('title'),
    preview: text('preview'),
    /** The agent profile answering in this chat (agents table or a built-in id; issue 11). */
    agentId: text('agent_id').notNull().default('support'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  /**
   * The chat list's `ORDER BY updated_at DESC, id DESC`: Postgres' DESC is NULLS FIRST, so the
   * index says so too (drizzle's `.desc()` alone writes NULLS LAST, which the planner cannot use
   * for that order and so sorted all of a user's chats; issue 12, bench/chat-list-scale.ts).
   * The search (`user_id = $me AND title ILIKE '%q%'`) has a GIN index of the owner (btree_gin)
   * and the title's trigrams (pg_trgm): walking the list in order and filtering read all of a
   * user's chats when few matched (25–35× at 10,000 chats vs 20, bench/chat-list-scale.ts).
   * The owner is in it so a search reads only that user's matches, stats or not (PGlite has none).
   * fastupdate off: PGlite runs no vacuum, so GIN's pending list would only be merged at 4 MB,
   * and every search would read it linearly until then.
   */
  (t) => [
    index('chats_user_updated_idx').on(t.userId, t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('chats_user_title_trgm_idx').using('gin', t.userId, t.title.op('gin_trgm_ops')).with({ fastupdate: false }),
  ],
);

export const messageRoleEnum = pgEnum('message_role', messageRoles);
export const messageStatusEnum = pgEnum('message_status', messageStatuses);
export const answerModeEnum = pgEnum('answer_mode', answerModes);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Insertion order: breaks ties between messages stored in the same millisecond. */
    position: bigint('position', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    chatId: uuid('chat_id')
      .notNull()
      .references(() => chats.id, { onDelete: 'cascade' }),
    /** Denormalised owner, so every message query filters by user in SQL without a join. */
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: messageRoleEnum('role').notNull(),
    content: text('content').notNull().default(''),
    status: messageStatusEnum('status').notNull(),
    mode: answerModeEnum('mode'),
    model: text('model'),
    /** For an answer: the agent profile that wrote it (usage per agent); null before issue 11. */
    agentId: text('agent_id'),
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
    costUsd: doublePrecision('cost_usd'),
    error: jsonb('error').$type<{ code: string; message: string }>(),
    /** For an answer: the seq of the last delta already in `content`; null before the first. */
    deltaSeq: integer('delta_seq'),
    idempotencyKey: text('idempotency_key'),
    /** For an answer: the user message it answers. */
    replyTo: uuid('reply_to'),
    /** For an answer: the passages it cites, checked against those given to the model (snapshots, kept if a document goes). */
    citations: jsonb('citations').$type<Citation[]>(),
    /** For an answer: citations the model made up (ids it was never given), dropped from `citations`. */
    invalidCitations: integer('invalid_citations').notNull().default(0),
    /** For an answer: its tool calls, each a step (answerStepSchema), in the order the model made them. */
    steps: jsonb('steps').$type<AnswerStep[]>().notNull().default([]),
    /** For a running answer: until when its generating instance vouches for it. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('messages_chat_created_idx').on(t.chatId, t.createdAt, t.position),
    /** The prompt's history, read from the newest message back in keyset pages (agent/prompt-history.ts). */
    index('messages_chat_position_idx').on(t.chatId, t.position),
    uniqueIndex('messages_chat_idempotency_key_idx').on(t.chatId, t.idempotencyKey),
    /** At most one running answer per chat, enforced by the database under concurrent requests. */
    uniqueIndex('messages_one_running_answer_idx')
      .on(t.chatId)
      .where(sql`role = 'assistant' and status in ('pending', 'retrieving', 'streaming', 'calling_tool')`),
    /** Usage totals over time (issue 11): answers by time, and one user's month for the budget check. */
    index('messages_answers_created_idx').on(t.createdAt).where(sql`role = 'assistant'`),
    index('messages_answers_user_created_idx').on(t.userId, t.createdAt).where(sql`role = 'assistant'`),
    index('messages_running_lease_idx')
      .on(t.leaseUntil)
      .where(sql`status in ('pending', 'retrieving', 'streaming', 'calling_tool')`),
  ],
);

/**
 * A running answer's streamed text, one row per persisted batch of deltas (issue 12; every
 * ATRIUM_ANSWER_PERSIST_MS): appending a row costs the batch's size, where `content || text` rewrote the whole TOASTed text on every delta. The
 * lifecycle folds the rows into `messages.content` (in `seq` order) when the answer comes to rest
 * and deletes them in that transaction; readers see `content || deltas` (chats/answer-text.ts).
 */
export const answerDeltas = pgTable(
  'answer_deltas',
  {
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    /**
     * The seq of the last delta the row holds (as in `message.delta`; a row holds one persist's
     * batch of consecutive deltas, joined): the order the text is read back in.
     */
    seq: integer('seq').notNull(),
    text: text('text').notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.seq] })],
);

export type ChatRow = typeof chats.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
