import {
  createMcpServerRequestSchema,
  mcpServerListResponseSchema,
  mcpServerResponseSchema,
  updateMcpServerRequestSchema,
} from '@atrium/contracts';
import { Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../audit/audit-log.js';
import { failUnstartedDraftsOf } from '../drafts/settle.js';
import type { AppEnv } from '../env.js';
import { AppError } from '../errors.js';
import { listServerTools } from '../mcp/mcp-source.js';
import {
  createMcpServer,
  deleteMcpServer,
  findMcpServer,
  listMcpServers,
  toMcpServer,
  updateMcpServer,
} from '../mcp/registered-servers.js';
import { requires } from '../middleware/requires.js';
import { validate } from '../middleware/validate.js';
import { withEvents } from '../realtime/event-log.js';
import { respond } from '../respond.js';
import { checkOutboundUrl, type OutboundPolicy } from '../tools/outbound-guard.js';

/** Why a proposal to an MCP server fails when the server is deleted or pointed elsewhere. */
const serverChanged = {
  code: 'draft.tool_changed',
  message:
    'The MCP server this was proposed to was removed or changed; the approvals given do not cover it. Propose it again.',
};

const idParam = validate('param', z.object({ id: z.uuid() }));
const path = '/api/admin/mcp-servers';

/**
 * Admin-registered external MCP servers (`tools:manage`). Create and URL changes check the URL
 * with the outbound guard (tools/outbound-guard.ts: allow-listed host, public addresses:
 * 400 `tool.url_not_allowed`) and that the server answers `tools/list`
 * (`mcp.server_unreachable`, 502) before anything is written. The bearer token is never returned.
 */
export const mcpServerRoutes = new Hono<AppEnv>()
  .use(path, requires('tools:manage'))
  .use(`${path}/*`, requires('tools:manage'))
  .get(path, async (c) => {
    const rows = await listMcpServers(c.get('deps').db);
    return respond(c, mcpServerListResponseSchema, { servers: rows.map(toMcpServer) });
  })
  .post(path, validate('json', createMcpServerRequestSchema), async (c) => {
    const { db, clock, tools } = c.get('deps');
    const body = c.req.valid('json');
    await reachable(body.url, body.bearerToken, tools.outboundPolicy);
    const user = c.get('user')!;
    const row = await db.transaction(async (tx) => {
      const created = await createMcpServer(tx, body, user.id, clock.now());
      await audit(tx, c, 'mcp.server_created', created);
      return created;
    });
    return respond(c, mcpServerResponseSchema, { server: toMcpServer(row) }, 201);
  })
  .patch(`${path}/:id`, idParam, validate('json', updateMcpServerRequestSchema), async (c) => {
    const { clock, tools, drafts } = c.get('deps');
    const body = c.req.valid('json');
    if (body.url !== undefined) await checkOutboundUrl(body.url, tools.outboundPolicy);
    const row = await withEvents(drafts.deps, async (tx, emit) => {
      const before = await findMcpServer(tx, c.req.valid('param').id);
      const updated = await updateMcpServer(tx, c.req.valid('param').id, body, clock.now());
      await audit(tx, c, 'mcp.server_updated', updated);
      if (before && (before.url !== updated.url || before.bearerToken !== updated.bearerToken)) {
        await failUnstartedDraftsOf(drafts.deps, tx, emit, `${updated.name}__`, serverChanged);
      }
      return updated;
    });
    return respond(c, mcpServerResponseSchema, { server: toMcpServer(row) });
  })
  .delete(`${path}/:id`, idParam, async (c) => {
    const { drafts } = c.get('deps');
    const row = await withEvents(drafts.deps, async (tx, emit) => {
      const deleted = await deleteMcpServer(tx, c.req.valid('param').id);
      await audit(tx, c, 'mcp.server_deleted', deleted);
      await failUnstartedDraftsOf(drafts.deps, tx, emit, `${deleted.name}__`, serverChanged);
      return deleted;
    });
    return respond(c, mcpServerResponseSchema, { server: toMcpServer(row) });
  });

async function reachable(url: string, bearerToken: string | null, policy: OutboundPolicy): Promise<void> {
  await checkOutboundUrl(url, policy);
  try {
    await listServerTools({ url, bearerToken }, policy);
  } catch (error) {
    // A redirect to a refused address is the guard's answer, not the server being down.
    for (let e: unknown = error; e instanceof Error; e = e.cause) {
      if (e instanceof AppError && e.code === 'tool.url_not_allowed') throw e;
    }
    throw new AppError('mcp.server_unreachable', 502, 'The MCP server did not answer tools/list.');
  }
}

async function audit(
  tx: Parameters<typeof recordAudit>[0],
  c: {
    get(key: 'user'): { id: string } | null;
    get(key: 'requestId'): string;
    get(key: 'deps'): AppEnv['Variables']['deps'];
  },
  action: 'mcp.server_created' | 'mcp.server_updated' | 'mcp.server_deleted',
  row: { id: string; name: string; url: string; defaultRisk: string; riskOverrides: unknown; enabled: boolean },
) {
  await recordAudit(tx, {
    at: c.get('deps').clock.now(),
    actorId: c.get('user')?.id ?? null,
    action,
    target: `mcp_server:${row.id}`,
    detail: {
      name: row.name,
      url: row.url,
      defaultRisk: row.defaultRisk,
      riskOverrides: row.riskOverrides,
      enabled: row.enabled,
    },
    requestId: c.get('requestId'),
  });
}
