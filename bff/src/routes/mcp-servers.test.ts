import type { AddressInfo } from 'node:net';
import { apiErrorSchema, mcpServerListResponseSchema, mcpServerResponseSchema } from '@atrium/contracts';
import { type ServerType, serve } from '@hono/node-server';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkOutboundUrl } from '../mcp/outbound-url.js';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';
import type { ToolGate } from '../tools/tool.js';

/** An external MCP server (the SDK's own McpServer), counting the writes it receives. */
const external = { updates: 0, seenAuthorization: [] as (string | null)[] };
function externalServer(): ServerType {
  return serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: async (request) => {
      external.seenAuthorization.push(request.headers.get('authorization'));
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
  t = await createTestApp({ env: { ATRIUM_MCP_ALLOW_PRIVATE_URLS: 'true' } });
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

describe('checkOutboundUrl', () => {
  it.each([
    'http://127.0.0.1/mcp',
    'http://[::1]/mcp',
    'http://[::ffff:127.0.0.1]/mcp',
    'http://169.254.169.254/latest',
    'http://10.1.2.3/',
    'http://100.64.0.1/',
    'http://[fd00::1]/',
    'http://0.0.0.0/',
    'http://localhost/',
  ])('refuses %s unless private targets are allowed', async (url) => {
    await expect(checkOutboundUrl(new URL(url), { allowPrivate: false })).rejects.toMatchObject({
      code: 'mcp.url_not_allowed',
    });
    await expect(checkOutboundUrl(new URL(url), { allowPrivate: true })).resolves.toBeUndefined();
  });

  it('accepts a public address', async () => {
    await expect(
      checkOutboundUrl(new URL('https://93.184.215.14/mcp'), { allowPrivate: false }),
    ).resolves.toBeUndefined();
  });
});
