import type { AddressInfo } from 'node:net';
import { apiErrorSchema, mcpServerListResponseSchema, mcpServerResponseSchema } from '@atrium/contracts';
import { type ServerType, serve } from '@hono/node-server';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { drafts } from '../db/schema/index.js';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';
import type { ToolGate } from '../tools/tool.js';

/** An external MCP server (the SDK's own McpServer), counting the writes and `tools/list` calls it receives. */
const external = { updates: 0, lists: 0, seenAuthorization: [] as (string | null)[] };
function externalServer(): ServerType {
  return serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: async (request) => {
      const url = new URL(request.url);
      // A server that sends its clients elsewhere: the guard checks the target like the first URL.
      if (url.pathname === '/moved')
        return new Response(null, { status: 307, headers: { location: url.searchParams.get('to')! } });
      external.seenAuthorization.push(request.headers.get('authorization'));
      if (request.method === 'POST' && (await request.clone().text()).includes('"tools/list"')) external.lists += 1;
      const server = new McpServer({ name: 'crm', version: '1.0.0' });
      server.registerTool(
        'lookup_customer',
        { description: 'Finds a customer by email.', inputSchema: { email: z.string() } },
        async ({ email }) => ({ content: [{ type: 'text', text: `customer ${email}: gold tier` }] }),
      );
      server.registerTool(
        'Update-Customer',
        { description: 'Changes a customer tier.', inputSchema: { email: z.string(), tier: z.string() } },
        async () => {
          external.updates += 1;
          return { content: [{ type: 'text', text: 'updated' }] };
        },
      );
      // Two tools that read as one name once prefixed (`crm__dup_a`): neither may be offered.
      for (const name of ['dup-a', 'dup_a']) {
        server.registerTool(name, { description: `Clashes (${name}).`, inputSchema: {} }, async () => {
          external.updates += 1;
          return { content: [{ type: 'text', text: name }] };
        });
      }
      const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
      await server.connect(transport);
      return transport.handleRequest(request);
    },
  });
}

let gate: ToolGate;
let t: TestApp;
let crm: ServerType;
let crmUrl: string;

beforeAll(async () => {
  // One guard for every admin-typed URL: the allow-list from config, and only the test server's
  // exact address exempted from the public-address rule (the policy's test seam).
  t = await createTestApp({
    env: { ATRIUM_HTTP_TOOL_ALLOW_HOSTS: '127.0.0.1,10.0.0.7' },
    outbound: { allowAddresses: ['127.0.0.1'] },
  });
  gate = t.tools.gate;
  crm = externalServer();
  await new Promise((resolve) => crm.once('listening', resolve));
  crmUrl = `http://127.0.0.1:${(crm.address() as AddressInfo).port}/mcp`;
});
afterAll(async () => {
  await new Promise((resolve) => crm.close(resolve));
  await t.close();
});

async function signedIn(email: string, role: 'admin' | 'agent_l1' | 'user') {
  await t.createUser({ email, role });
  const browser = new Browser(t);
  await browser.signIn(email, testPassword);
  return browser;
}

describe('external MCP servers', () => {
  it('registered by an admin, their tools enter the registry with the assigned risk; a write becomes a draft', async () => {
    const admin = await signedIn('mcp-admin@example.com', 'admin');
    const created = await admin.fetch('POST', '/api/admin/mcp-servers', {
      body: { name: 'crm', url: crmUrl, bearerToken: 'crm-secret', riskOverrides: { lookup_customer: 'read' } },
    });
    expect(created.status).toBe(201);
    const { server } = mcpServerResponseSchema.parse(await created.json());
    expect(server).toMatchObject({ name: 'crm', hasToken: true, defaultRisk: 'low', enabled: true });
    expect(JSON.stringify(server)).not.toContain('crm-secret');
    expect(external.seenAuthorization.at(-1)).toBe('Bearer crm-secret');

    const agent = {
      userId: (await t.createUser({ email: 'l1@example.com', role: 'agent_l1' })).id,
      role: 'agent_l1' as const,
    };
    const mcpTools = async (caller: typeof agent | { userId: string; role: 'user' }) =>
      (await gate.toolsFor(caller)).filter((tool) => tool.kind === 'mcp');
    const tools = await mcpTools(agent);
    expect(tools.map((tool) => [tool.name, tool.kind, tool.risk]).sort()).toEqual([
      ['crm__lookup_customer', 'mcp', 'read'],
      ['crm__update_customer', 'mcp', 'low'],
    ]);
    expect(tools.find((tool) => tool.name === 'crm__update_customer')!.approvals).toEqual([
      { roles: ['approver', 'admin'] },
    ]);
    expect(await mcpTools({ userId: agent.userId, role: 'user' })).toEqual([]);

    const read = await gate.call(
      agent,
      'crm__lookup_customer',
      { email: 'a@b.io' },
      { via: 'mcp' },
      new AbortController().signal,
    );
    expect(read).toMatchObject({ kind: 'result', output: { text: 'customer a@b.io: gold tier' } });

    const write = await gate.call(
      agent,
      'crm__update_customer',
      { email: 'a@b.io', tier: 'platinum' },
      { via: 'mcp' },
      new AbortController().signal,
    );
    expect(write.kind).toBe('drafted');
    expect(external.updates).toBe(0);
    const bad = await gate.call(
      agent,
      'crm__update_customer',
      { email: 1 },
      { via: 'mcp' },
      new AbortController().signal,
    );
    expect(bad).toMatchObject({ kind: 'refused', code: 'tool.invalid_arguments' });

    // Pointed elsewhere, the server is no longer what was proposed to: its pending draft fails.
    const moved = await admin.fetch('PATCH', `/api/admin/mcp-servers/${server.id}`, { body: { url: `${crmUrl}?v=2` } });
    expect(moved.status).toBe(200);
    const draftId = write.kind === 'drafted' ? write.draft.id : '';
    const [failed] = await t.db.select().from(drafts).where(eq(drafts.id, draftId));
    expect(failed).toMatchObject({ status: 'failed', outcome: { code: 'draft.tool_changed' } });
    const disabled = await admin.fetch('PATCH', `/api/admin/mcp-servers/${server.id}`, { body: { enabled: false } });
    expect(disabled.status).toBe(200);
    expect(await mcpTools(agent)).toEqual([]);
    const listed = mcpServerListResponseSchema.parse(await (await admin.fetch('GET', '/api/admin/mcp-servers')).json());
    expect(listed.servers.map((s) => [s.name, s.enabled])).toEqual([['crm', false]]);
  });

  it('refuses non-admins, taken names, unreachable servers and bad input without writing', async () => {
    const agent = await signedIn('mcp-l1@example.com', 'agent_l1');
    expect((await agent.fetch('GET', '/api/admin/mcp-servers')).status).toBe(403);
    const admin = await signedIn('mcp-admin2@example.com', 'admin');
    const taken = await admin.fetch('POST', '/api/admin/mcp-servers', { body: { name: 'crm', url: crmUrl } });
    expect(apiErrorSchema.parse(await taken.json()).code).toBe('mcp.server_name_taken');
    const down = await admin.fetch('POST', '/api/admin/mcp-servers', {
      body: { name: 'down', url: 'http://127.0.0.1:1/mcp' },
    });
    expect(down.status).toBe(502);
    expect(apiErrorSchema.parse(await down.json()).code).toBe('mcp.server_unreachable');
    for (const body of [
      { name: 'Bad-Name', url: crmUrl },
      // `__` separates server from tool, so `crm__x`'s tools could pass for `crm`'s.
      { name: 'crm__x', url: crmUrl },
      { name: 'crm_', url: crmUrl },
      { name: 'ok', url: 'ftp://example.com' },
      { name: 'ok', url: crmUrl, defaultRisk: 'extreme' },
    ]) {
      expect((await admin.fetch('POST', '/api/admin/mcp-servers', { body })).status, JSON.stringify(body)).toBe(400);
    }
    const missing = await admin.fetch('DELETE', '/api/admin/mcp-servers/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    const listed = mcpServerListResponseSchema.parse(await (await admin.fetch('GET', '/api/admin/mcp-servers')).json());
    expect(listed.servers.map((s) => s.name)).toEqual(['crm']);
  });
});

describe('the MCP client through the outbound guard', () => {
  it('refuses hosts off the allow-list, non-public addresses and redirects to them, writing nothing', async () => {
    const admin = await signedIn('mcp-admin3@example.com', 'admin');
    const port = new URL(crmUrl).port;
    for (const url of [
      `http://localhost:${port}/mcp`,
      'http://10.0.0.7/mcp',
      `http://127.0.0.1:${port}/moved?to=${encodeURIComponent('http://10.0.0.7/mcp')}`,
    ]) {
      const response = await admin.fetch('POST', '/api/admin/mcp-servers', { body: { name: 'elsewhere', url } });
      expect(response.status, url).toBe(400);
      expect(apiErrorSchema.parse(await response.json()).code, url).toBe('tool.url_not_allowed');
    }
    const listed = mcpServerListResponseSchema.parse(await (await admin.fetch('GET', '/api/admin/mcp-servers')).json());
    expect(listed.servers.map((s) => s.name)).not.toContain('elsewhere');
  });

  it('reuses a server’s tool list for 30 s, and lists again after an admin change or when it is stale', async () => {
    const admin = await signedIn('mcp-admin4@example.com', 'admin');
    const created = await admin.fetch('POST', '/api/admin/mcp-servers', {
      body: { name: 'cached', url: crmUrl, roles: ['agent_l1'] },
    });
    const { server } = mcpServerResponseSchema.parse(await created.json());
    const caller = {
      userId: (await t.createUser({ email: 'l1-cache@example.com', role: 'agent_l1' })).id,
      role: 'agent_l1' as const,
    };
    const cachedTools = async () => (await gate.toolsFor(caller)).filter((tool) => tool.name.startsWith('cached__'));

    const before = external.lists;
    expect((await cachedTools()).map((tool) => tool.risk)).toEqual(['low', 'low']);
    await cachedTools();
    expect(external.lists - before).toBe(1);

    // Risks come from the row on every call; the token is part of the cache key.
    await admin.fetch('PATCH', `/api/admin/mcp-servers/${server.id}`, {
      body: { riskOverrides: { lookup_customer: 'read' } },
    });
    expect((await cachedTools()).map((tool) => tool.risk).sort()).toEqual(['low', 'read']);
    expect(external.lists - before).toBe(1);
    await admin.fetch('PATCH', `/api/admin/mcp-servers/${server.id}`, { body: { bearerToken: 'rotated' } });
    await cachedTools();
    expect(external.lists - before).toBe(2);
    expect(external.seenAuthorization.at(-1)).toBe('Bearer rotated');

    t.clock.advance(29_000);
    await cachedTools();
    expect(external.lists - before).toBe(2);
    t.clock.advance(2_000);
    await cachedTools();
    expect(external.lists - before).toBe(3);
    await admin.fetch('DELETE', `/api/admin/mcp-servers/${server.id}`);
    expect(await cachedTools()).toEqual([]);
  });
});
