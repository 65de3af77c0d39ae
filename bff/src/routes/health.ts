import { healthResponseSchema, readyResponseSchema } from '@atrium/contracts';
import { Hono } from 'hono';
import { pingDatabase } from '../db/index.js';
import type { AppEnv } from '../env.js';
import { respond } from '../respond.js';

export const healthRoutes = new Hono<AppEnv>()
  .get('/healthz', (c) => respond(c, healthResponseSchema, { status: 'ok' }))
  /** Ready when the database answers; `details.retrieval` says whether vectors are searched and, if not, why. */
  .get('/readyz', async (c) => {
    const { db, retriever } = c.get('deps');
    const database = (await pingDatabase(db)) ? 'ok' : 'failed';
    const ready = database === 'ok';
    return respond(
      c,
      readyResponseSchema,
      {
        status: ready ? 'ready' : 'not_ready',
        checks: { database },
        details: { retrieval: { vector: retriever.mode.vector, reason: retriever.mode.reason } },
      },
      ready ? 200 : 503,
    );
  });
