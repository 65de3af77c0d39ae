import {
  agentIdParamSchema,
  agentListResponseSchema,
  agentResponseSchema,
  createAgentRequestSchema,
  okResponseSchema,
  roleHas,
  updateAgentRequestSchema,
} from '@atrium/contracts';
import { type Context, Hono } from 'hono';
import {
  agentNotFound,
  checkToolNames,
  createAgent,
  deleteAgent,
  findAgent,
  listAgents,
  toAgentView,
  updateAgent,
} from '../agents/store.js';
import type { AppEnv } from '../env.js';
import { requires, signedIn } from '../middleware/requires.js';
import { validate } from '../middleware/validate.js';
import { respond } from '../respond.js';

const actorOf = (c: Context<AppEnv>) => ({ userId: c.get('user')!.id, requestId: c.get('requestId') });

/** Every tool name any source knows (enabled or not): what an agent's `tools` may name. */
async function knownTools(c: Context<AppEnv>): Promise<Set<string>> {
  return new Set((await c.get('deps').tools.registry.all()).map((tool) => tool.name));
}

/**
 * Agent profiles (issue 11 item 1; store in bff/src/agents/store.ts).
 * `GET /api/agents` (signed in): every agent and `canChoose` (the caller has `multi_agent`);
 * `systemPrompt` only for `agents:manage`, null for others.
 * `POST /api/agents`, `PATCH /api/agents/:id`, `DELETE /api/agents/:id` (`agents:manage`, audited):
 * 400 `request.invalid` (bad shape, a prompt over 8,000 characters, unknown tool names — listed),
 * 404 `agent.not_found`, 409 `agent.id_taken` / `agent.built_in` (built-ins are edited, not deleted).
 * Deleting moves the agent's chats to the default agent.
 */
export const agentProfileRoutes = new Hono<AppEnv>()
  .get('/api/agents', signedIn(), async (c) => {
    const { db, entitlements } = c.get('deps');
    const user = c.get('user')!;
    const [all, effective] = await Promise.all([listAgents(db), entitlements.of(user)]);
    const withPrompt = roleHas(user.role, 'agents:manage');
    return respond(c, agentListResponseSchema, {
      agents: all.map((agent) => toAgentView(agent, withPrompt)),
      canChoose: effective.features.includes('multi_agent'),
    });
  })
  .post('/api/agents', requires('agents:manage'), validate('json', createAgentRequestSchema), async (c) => {
    const input = c.req.valid('json');
    checkToolNames(input.tools, await knownTools(c));
    const agent = await createAgent(c.get('deps'), actorOf(c), input);
    return respond(c, agentResponseSchema, { agent: toAgentView(agent, true) }, 201);
  })
  .get('/api/agents/:id', signedIn(), validate('param', agentIdParamSchema), async (c) => {
    const agent = await findAgent(c.get('deps').db, c.req.valid('param').id);
    if (!agent) throw agentNotFound();
    return respond(c, agentResponseSchema, {
      agent: toAgentView(agent, roleHas(c.get('user')!.role, 'agents:manage')),
    });
  })
  .patch(
    '/api/agents/:id',
    requires('agents:manage'),
    validate('param', agentIdParamSchema),
    validate('json', updateAgentRequestSchema),
    async (c) => {
      const patch = c.req.valid('json');
      checkToolNames(patch.tools, await knownTools(c));
      const agent = await updateAgent(c.get('deps'), actorOf(c), c.req.valid('param').id, patch);
      return respond(c, agentResponseSchema, { agent: toAgentView(agent, true) });
    },
  )
  .delete('/api/agents/:id', requires('agents:manage'), validate('param', agentIdParamSchema), async (c) => {
    await deleteAgent(c.get('deps'), actorOf(c), c.req.valid('param').id);
    return respond(c, okResponseSchema, { ok: true });
  });
