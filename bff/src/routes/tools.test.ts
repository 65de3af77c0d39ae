import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  apiErrorSchema,
  type CreateHttpToolRequest,
  httpToolResponseSchema,
  listHttpToolsResponseSchema,
  listToolsResponseSchema,
} from '@atrium/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, httpTools, type UserRow } from '../db/schema/index.js';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';
import { httpToolFromRow } from '../tools/http-tool.js';

/*
 * The admin's view of the agent's tools and the HTTP tools they configure (issue 10 item 2),
 * through the real app. `crm.test` resolves (through the outbound guard's DNS seam) to a local
 * server; only its exact address is exempt from the guard.
 */

let t: TestApp;
let admin: Browser;
let ops: Browser;
let user: UserRow;
let server: Server;
let port: number;
const received: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];

const signedIn = async (email: string) => {
  const browser = new Browser(t);
  await browser.signIn(email, testPassword);
  return browser;
};

const lookupTool = (): CreateHttpToolRequest => ({
  name: 'crm_lookup',
  description: 'Look a customer up in the CRM',
  method: 'GET',
  url: `http://crm.test:${port}/customers`,
  inputSchema: {
    type: 'object',
    properties: { email: { type: 'string', maxLength: 100 } },
    required: ['email'],
    additionalProperties: false,
  },
  risk: 'read',
  roles: ['user', 'agent_l1'],
  timeoutMs: 2_000,
});

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ customer: 'Ada', plan: 'pro' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  t = await createTestApp({
    env: { ATRIUM_HTTP_TOOL_ALLOW_HOSTS: 'crm.test,127.0.0.1,*.corp.test' },
    outbound: {
      resolve: async (host) => [{ address: host === 'crm.test' ? '127.0.0.1' : '10.0.0.7', family: 4 }],
      allowAddresses: ['127.0.0.1'],
    },
  });
  await t.createUser({ email: 'root@example.com', role: 'admin' });
  await t.createUser({ email: 'ops@example.com', role: 'ops' });
  user = await t.createUser({ email: 'user@example.com', role: 'user' });
  admin = await signedIn('root@example.com');
  ops = await signedIn('ops@example.com');
});

afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const never = new AbortController().signal;

describe('GET /api/admin/tools', () => {
  it('lists the built-in tools with kind, risk, roles, approvals and JSON Schema for admins and ops', async () => {
    const response = await ops.fetch('GET', '/api/admin/tools');
    expect(response.status).toBe(200);
    const { tools } = listToolsResponseSchema.parse(await response.json());
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(byName.get('search_knowledge_base')).toMatchObject({ kind: 'builtin', risk: 'read', approvalLevels: 0 });
    expect(byName.get('create_ticket')).toMatchObject({ risk: 'low', approvalLevels: 1 });
    expect(byName.get('issue_refund')).toMatchObject({ risk: 'high', approvalLevels: 2, roles: ['agent_l2', 'admin'] });
    expect(byName.get('issue_refund')?.inputSchema).toMatchObject({
      type: 'object',
      properties: { amountCents: { maximum: 50_000 } },
    });
  });

  it('is refused to a plain user', async () => {
    const browser = await signedIn('user@example.com');
    expect((await browser.fetch('GET', '/api/admin/tools')).status).toBe(403);
  });
});

describe('/api/admin/http-tools', () => {
  it('is for admins only: ops may look at tools but not configure them', async () => {
    const response = await ops.fetch('POST', '/api/admin/http-tools', { body: lookupTool() });
    expect(response.status).toBe(403);
    expect((await ops.fetch('GET', '/api/admin/http-tools')).status).toBe(403);
  });

  it.each([
    ['a host off the allow-list', { url: 'https://elsewhere.example/x' }, 400, 'tool.url_not_allowed'],
    ['an allowed host resolving to a private address', { url: 'https://erp.corp.test/x' }, 400, 'tool.url_not_allowed'],
    ['a loopback literal', { url: 'http://[::1]/x' }, 400, 'tool.url_not_allowed'],
    ['a non-http URL', { url: 'file:///etc/passwd' }, 400, 'request.invalid'],
    ['a schema that is not an object', { inputSchema: { type: 'string' } }, 400, 'request.invalid'],
    [
      'a schema zod cannot read',
      { inputSchema: { type: 'object', properties: { a: { type: 'nonsense' } } } },
      400,
      'tool.invalid_schema',
    ],
    ['a built-in tool’s name', { name: 'issue_refund' }, 409, 'tool.name_taken'],
    ['a name the model cannot use', { name: 'Bad Name' }, 400, 'request.invalid'],
    ['a name in the form of an MCP server’s tools', { name: 'crm__lookup' }, 400, 'request.invalid'],
  ])('refuses %s, saving nothing', async (_label, change, status, code) => {
    const response = await admin.fetch('POST', '/api/admin/http-tools', { body: { ...lookupTool(), ...change } });
    expect(response.status).toBe(status);
    expect(apiErrorSchema.parse(await response.json()).code).toBe(code);
    expect(await t.db.select().from(httpTools)).toEqual([]);
  });

  it('saves a tool that the gate then runs as the caller, through the guard, counted in the stats', async () => {
    const created = await admin.fetch('POST', '/api/admin/http-tools', { body: lookupTool() });
    expect(created.status).toBe(201);
    const { httpTool } = httpToolResponseSchema.parse(await created.json());
    expect(httpTool).toMatchObject({ name: 'crm_lookup', enabled: true, timeoutMs: 2_000 });
    const again = await admin.fetch('POST', '/api/admin/http-tools', { body: lookupTool() });
    expect(apiErrorSchema.parse(await again.json()).code).toBe('tool.name_taken');

    const caller = { userId: user.id, role: user.role };
    const origin = { via: 'mcp' } as const;
    expect((await t.tools.gate.toolsFor(caller)).map((tool) => tool.name)).toContain('crm_lookup');
    const outcome = await t.tools.gate.call(caller, 'crm_lookup', '{"email":"ada@example.com"}', origin, never);
    expect(outcome).toMatchObject({ kind: 'result', output: { status: 200, body: { customer: 'Ada', plan: 'pro' } } });
    expect(received.at(-1)).toMatchObject({ method: 'GET', url: '/customers?email=ada%40example.com' });
    expect(received.at(-1)?.headers.host).toBe(`crm.test:${port}`);
    expect(await t.tools.gate.call(caller, 'crm_lookup', { email: 'x'.repeat(101) }, origin, never)).toMatchObject({
      kind: 'refused',
      code: 'tool.invalid_arguments',
    });

    const { tools } = listToolsResponseSchema.parse(await (await admin.fetch('GET', '/api/admin/tools')).json());
    expect(tools.find((tool) => tool.name === 'crm_lookup')).toMatchObject({
      kind: 'http',
      stats: { calls: 1, failures: 0 },
    });
  });

  it('changes and disables a tool (a disabled tool is unknown to the gate), then deletes it, all audited', async () => {
    const [row] = await t.db.select().from(httpTools).where(eq(httpTools.name, 'crm_lookup'));
    const badUrl = await admin.fetch('PATCH', `/api/admin/http-tools/${row!.id}`, {
      body: { url: 'http://169.254.169.254/' },
    });
    expect(apiErrorSchema.parse(await badUrl.json()).code).toBe('tool.url_not_allowed');
    const patched = await admin.fetch('PATCH', `/api/admin/http-tools/${row!.id}`, { body: { enabled: false } });
    expect(httpToolResponseSchema.parse(await patched.json()).httpTool).toMatchObject({
      enabled: false,
      timeoutMs: 2_000,
    });
    const caller = { userId: user.id, role: user.role };
    expect(await t.tools.gate.call(caller, 'crm_lookup', { email: 'a' }, { via: 'mcp' }, never)).toMatchObject({
      kind: 'refused',
      code: 'tool.unknown',
    });
    const listed = listHttpToolsResponseSchema.parse(await (await admin.fetch('GET', '/api/admin/http-tools')).json());
    expect(listed.httpTools.map((tool) => tool.name)).toEqual(['crm_lookup']);

    expect((await admin.fetch('DELETE', `/api/admin/http-tools/${row!.id}`)).status).toBe(200);
    const gone = await admin.fetch('DELETE', `/api/admin/http-tools/${row!.id}`);
    expect(gone.status).toBe(404);
    expect(apiErrorSchema.parse(await gone.json()).code).toBe('tool.not_found');
    const missing = await admin.fetch('PATCH', '/api/admin/http-tools/not-a-uuid', { body: { enabled: true } });
    expect(missing.status).toBe(400);
    const actions = (await t.db.select().from(auditLog)).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['http_tool.created', 'http_tool.updated', 'http_tool.deleted']));
  });

  it('sends an approved draft’s id as Idempotency-Key and the arguments as a JSON body', async () => {
    const now = t.clock.now();
    const tool = httpToolFromRow(
      {
        ...lookupTool(),
        id: crypto.randomUUID(),
        method: 'POST',
        risk: 'low',
        roles: ['user'],
        timeoutMs: 2_000,
        enabled: true,
        createdAt: now,
        updatedAt: now,
      },
      t.tools.outboundPolicy,
    );
    await tool.run(
      { email: 'ada@example.com' },
      { db: t.db, caller: { userId: user.id, role: 'user' }, signal: never, idempotencyKey: 'draft-1' },
    );
    expect(received.at(-1)).toMatchObject({ method: 'POST', body: '{"email":"ada@example.com"}' });
    expect(received.at(-1)?.headers['idempotency-key']).toBe('draft-1');
  });
});
