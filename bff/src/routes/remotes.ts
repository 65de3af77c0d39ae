import { remoteMapSchema } from '@atrium/contracts';
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { respond } from '../respond.js';

export const remoteRoutes = new Hono<AppEnv>().get('/api/remotes', async (c) => {
  const map = await c.get('deps').resolveRemoteMap(c.get('user'));
  c.header('Cache-Control', 'no-store');
  return respond(c, remoteMapSchema, map);
});
