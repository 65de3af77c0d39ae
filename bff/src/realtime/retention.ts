import { sql } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { userEvents } from '../db/schema/index.js';

/** Rows per statement: a large backlog drains over several sweeps instead of one long transaction. */
const trimBatch = 5_000;

/**
 * Deletes users' events stored before `before`, except each user's newest: the next seq is
 * max + 1, so the head must stay or a user's log would restart at 1 under clients' cursors.
 * A reconnect from before the oldest kept event is told to resync (see sse.ts).
 */
export async function trimUserEvents(db: Database, before: Date): Promise<number> {
  const trimmed = await db
    .delete(userEvents)
    .where(
      sql`(${userEvents.userId}, ${userEvents.seq}) in (
        select old.user_id, old.seq from ${userEvents} old
        where old.created_at < ${before.toISOString()}::timestamptz
          and old.seq < (select max(head.seq) from ${userEvents} head where head.user_id = old.user_id)
        limit ${trimBatch})`,
    )
    .returning({ seq: userEvents.seq });
  return trimmed.length;
}
