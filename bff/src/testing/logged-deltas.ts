import type { ServerEvent } from '@atrium/contracts';
import type { Database } from '../db/index.js';
import { expandDeltaBatch, readUserEvents } from '../realtime/event-log.js';

type DeltaEvent = Extract<ServerEvent, { type: 'message.delta' }>;

/**
 * The `message.delta` events the user's log holds, oldest first, as the event stream sends them:
 * each stored `message.deltas` row expanded (sse.ts). `messageId` keeps one answer's.
 */
export async function loggedDeltas(db: Database, userId: string, messageId?: string): Promise<DeltaEvent[]> {
  const stored = await readUserEvents(db, userId, 0, { limit: 1_000_000 });
  return stored.flatMap(({ event }) => {
    const deltas =
      event.type === 'message.deltas' ? expandDeltaBatch(event) : event.type === 'message.delta' ? [event] : [];
    return deltas.filter((delta) => messageId === undefined || delta.messageId === messageId);
  });
}
