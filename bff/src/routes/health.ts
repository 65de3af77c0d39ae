import { healthResponseSchema, readyResponseSchema } from '@atrium/contracts';
import { Hono } from 'hono';
import { pingDatabase } from '../db/index.js';
import type { AppEnv } from '../env.js';
import { respond } from '../respond.js';

export const healthRoutes = new Hono<AppEnv>()
  .get('/healthz', (c) => respond(c, healthResponseSchema, { status: 'ok' }))
  .get('/readyz', async (c) => {
    const database = (await pingDatabase(c.get('deps').db)) ? 'ok' : 'failed';
    const ready = database === 'ok';
    return respond(
      c,
      readyResponseSchema,
      { status: ready ? 'ready' : 'not_ready', checks: { database } },
      ready ? 200 : 503,
    );
  });
