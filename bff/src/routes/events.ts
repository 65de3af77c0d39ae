import { eventCursorSchema } from '@atrium/contracts';
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { signedIn } from '../middleware/requires.js';
import { invalidCursor } from '../page-cursor.js';
import { parseCursor } from '../realtime/sse.js';

export const eventRoutes = new Hono<AppEnv>().get('/api/events', signedIn(), (c) => {
  // EventSource resends the last id as a header; `?since=` serves clients that open a fresh EventSource.
  const header = c.req.header('last-event-id');
  const raw = header ?? c.req.query('since');
  let cursor = null;
  if (raw !== undefined && raw !== '') {
    const parsed = eventCursorSchema.safeParse(raw);
    if (!parsed.success) throw invalidCursor(header === undefined ? 'since' : 'Last-Event-ID');
    cursor = parseCursor(parsed.data);
  }
  // HEAD answers with the stream's headers alone: no connection to the hub, which would wait
  // forever for a body no one reads (it stayed subscribed after the socket closed).
  if (c.req.method === 'HEAD')
    return c.body(null, 200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  return c.get('deps').sse.stream(c, { userId: c.get('user')!.id, sessionId: c.get('session')!.id, cursor });
});
