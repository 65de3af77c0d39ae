import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import { answerDeltas, messages } from '../db/schema/index.js';

/*
 * A running answer's text lives in two places (issue 12): `messages.content` (what was stored at
 * rest, '' for a new answer) and its streamed deltas in `answer_deltas`, folded into `content`
 * when the answer comes to rest (answer-lifecycle.ts). Every read of a message's text goes
 * through these, so a reader mid-stream sees the text so far.
 */

/** The deltas of the message in the current row, in seq order; null when it has none. */
export const pendingDeltas: SQL<string | null> =
  sql`(select string_agg(${answerDeltas.text}, '' order by ${answerDeltas.seq}) from ${answerDeltas} where ${answerDeltas.messageId} = ${messages.id})`;

/** `content` followed by its not yet folded deltas (text, never null). */
export const messageText: SQL<string> = sql<string>`(${messages.content} || coalesce(${pendingDeltas}, ''))`;

/** The seq of the last delta `messageText` holds: its newest delta row's, else `delta_seq` (null before any). */
export const messageDeltaSeq: SQL<number | null> = sql<
  number | null
>`coalesce((select max(${answerDeltas.seq}) from ${answerDeltas} where ${answerDeltas.messageId} = ${messages.id}), ${messages.deltaSeq})`;

/**
 * Every column of `messages`, `content` read with its deltas and `deltaSeq` the last of them (as
 * chat-core applies deltas after it): `db.select(messageColumns).from(messages)`.
 */
export const messageColumns = { ...getTableColumns(messages), content: messageText, deltaSeq: messageDeltaSeq };
