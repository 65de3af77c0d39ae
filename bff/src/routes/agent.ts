import { agentStatusSchema } from '@atrium/contracts';
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { requires } from '../middleware/requires.js';
import { respond } from '../respond.js';

export const agentRoutes = new Hono<AppEnv>().get('/api/agent', requires('chat:use'), (c) =>
  respond(c, agentStatusSchema, c.get('deps').agent.status()),
);
