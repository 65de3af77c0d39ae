import { eventCursorSchema } from '@atrium/contracts';
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { AppError } from '../errors.js';
import { signedIn } from '../middleware/requires.js';
import { parseCursor } from '../realtime/sse.js';

export const eventRoutes = new Hono<AppEnv>().get('/api/events', signedIn(), (c) => {
  // EventSource resends the last id as a header; `?since=` serves clients that open a fresh EventSource.
  const raw = c.req.header('last-event-id') ?? c.req.query('since');
  let cursor = null;
  if (raw !== undefined && raw !== '') {
    const parsed = eventCursorSchema.safeParse(raw);
    if (!parsed.success) {
      throw new AppError('request.invalid', 400, 'The event cursor is not valid.', [
        { path: 'Last-Event-ID', message: 'expected <userSeq>.<broadcastSeq>' },
      ]);
    }
    cursor = parseCursor(parsed.data);
  }
  return c.get('deps').sse.stream(c, { userId: c.get('user')!.id, sessionId: c.get('session')!.id, cursor });
});
