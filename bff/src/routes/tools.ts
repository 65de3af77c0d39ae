import {
  createHttpToolRequestSchema,
  httpToolResponseSchema,
  listHttpToolsResponseSchema,
  listToolsResponseSchema,
  okResponseSchema,
  updateHttpToolRequestSchema,
} from '@atrium/contracts';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.js';
import { requires } from '../middleware/requires.js';
import { validate } from '../middleware/validate.js';
import { respond } from '../respond.js';
import { toolCallStats } from '../tools/call-stats.js';
import {
  createHttpTool,
  deleteHttpTool,
  type HttpToolStoreDeps,
  listHttpTools,
  updateHttpTool,
} from '../tools/http-tool-store.js';
import { toToolView } from '../tools/views.js';

const idParam = z.object({ id: z.uuid() });

const storeDeps = (c: Context<AppEnv>): HttpToolStoreDeps => {
  const { db, clock, tools } = c.get('deps');
  return { db, clock, policy: tools.outboundPolicy, builtinNames: tools.registry.builtinNames };
};
const actorOf = (c: Context<AppEnv>) => ({ userId: c.get('user')!.id, requestId: c.get('requestId') });

/**
 * The agent's tools for admins (issue 10): `GET /api/admin/tools` lists every tool (built-in,
 * HTTP, MCP) with kind, risk, roles, approvals and call statistics (`tools:read`);
 * `/api/admin/http-tools` lists, creates, changes and deletes admin-configured HTTP tools
 * (`tools:manage`). Errors: 400 `tool.url_not_allowed` / `tool.invalid_schema` / `request.invalid`,
 * 409 `tool.name_taken`, 404 `tool.not_found`.
 */
export const toolRoutes = new Hono<AppEnv>()
  .get('/api/admin/tools', requires('tools:read'), async (c) => {
    const { db, tools } = c.get('deps');
    const [all, stats] = await Promise.all([tools.registry.all(), toolCallStats(db)]);
    return respond(c, listToolsResponseSchema, { tools: all.map((tool) => toToolView(tool, stats.get(tool.name))) });
  })
  .use('/api/admin/http-tools', requires('tools:manage'))
  .use('/api/admin/http-tools/*', requires('tools:manage'))
  .get('/api/admin/http-tools', async (c) =>
    respond(c, listHttpToolsResponseSchema, { httpTools: await listHttpTools(c.get('deps').db) }),
  )
  .post('/api/admin/http-tools', validate('json', createHttpToolRequestSchema), async (c) => {
    const httpTool = await createHttpTool(storeDeps(c), actorOf(c), c.req.valid('json'));
    return respond(c, httpToolResponseSchema, { httpTool }, 201);
  })
  .patch(
    '/api/admin/http-tools/:id',
    validate('param', idParam),
    validate('json', updateHttpToolRequestSchema),
    async (c) => {
      const httpTool = await updateHttpTool(storeDeps(c), actorOf(c), c.req.valid('param').id, c.req.valid('json'));
      return respond(c, httpToolResponseSchema, { httpTool });
    },
  )
  .delete('/api/admin/http-tools/:id', validate('param', idParam), async (c) => {
    await deleteHttpTool(storeDeps(c), actorOf(c), c.req.valid('param').id);
    return respond(c, okResponseSchema, { ok: true });
  });
