import type { AddressInfo } from 'node:net';
import { apiErrorSchema, createAccessTokenResponseSchema, listDraftsResponseSchema } from '@atrium/contracts';
import { type ServerType, serve } from '@hono/node-server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';
import type { AnyTool } from '../tools/tool.js';

const base = { kind: 'builtin', timeoutMs: 5_000, idempotent: true, maxRetries: 0, transactional: true } as const;
const lookupOrder: AnyTool = {
  ...base,
  name: 'lookup_order',
  description: 'Looks an order up by number.',
  input: z.object({ number: z.number().int().positive() }),
  output: z.object({ number: z.number(), status: z.string() }),
  risk: 'read',
  roles: ['user', 'agent_l1', 'admin'],
  approvals: [],
  describe: (input: { number: number }) => `Look up order ${input.number}.`,
  summarize: (output: { status: string }) => output.status,
  run: async (input: { number: number }) => ({ number: input.number, status: 'shipped' }),
};
const createNote: AnyTool = {
  ...base,
  name: 'create_note',
  description: 'Adds a note to an order.',
  input: z.object({ text: z.string().min(1).max(200) }),
  output: z.object({ ok: z.boolean() }),
  risk: 'low',
  roles: ['user', 'admin'],
  approvals: [{ roles: ['approver', 'admin'] }],
  describe: (input: { text: string }) => `Add the note "${input.text}".`,
  summarize: () => 'added',
  run: async () => {
    throw new Error('a drafted tool never runs from /mcp');
  },
};
const adminOnly: AnyTool = { ...lookupOrder, name: 'admin_report', roles: ['admin'] };

let t: TestApp;
let server: ServerType;
let mcpUrl: URL;

beforeAll(async () => {
  t = await createTestApp({ toolSources: [{ tools: async () => [lookupOrder, createNote, adminOnly] }] });
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  mcpUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

async function tokenFor(email: string, role: 'user' | 'admin' = 'user', expiresInDays: number | null = 30) {
  await t.createUser({ email, role });
  const browser = new Browser(t);
  await browser.signIn(email, testPassword);
  const response = await browser.fetch('POST', '/api/account/tokens', { body: { name: 'mcp', expiresInDays } });
  const { token, secret } = createAccessTokenResponseSchema.parse(await response.json());
  return { browser, token, secret };
}

async function connect(secret: string | null) {
  const client = new Client({ name: 'test-client', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(mcpUrl, {
    requestInit: secret ? { headers: { Authorization: `Bearer ${secret}` } } : {},
  });
  await client.connect(transport);
  return client;
}

describe('/mcp', () => {
  it("lists the caller's tools and calls them through the gate with the SDK's own client", async () => {
    const { browser, secret } = await tokenFor('mcp-user@example.com');
    const client = await connect(secret);
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    // The test's tools beside the built-ins a `user` may use; never a tool their role lacks.
    expect(names).toEqual(expect.arrayContaining(['create_note', 'lookup_order', 'create_ticket', 'get_ticket']));
    expect(names).not.toContain('admin_report');
    expect(names).not.toContain('issue_refund');
    const lookup = tools.find((tool) => tool.name === 'lookup_order')!;
    expect(lookup.inputSchema).toMatchObject({ type: 'object', properties: { number: { type: 'integer' } } });
    expect(lookup.annotations?.readOnlyHint).toBe(true);

    const read = await client.callTool({ name: 'lookup_order', arguments: { number: 7 } });
    expect(read.isError).toBeFalsy();
    expect(JSON.parse((read.content as { text: string }[])[0]!.text)).toEqual({ number: 7, status: 'shipped' });

    const write = await client.callTool({ name: 'create_note', arguments: { text: 'call back' } });
    const mine = listDraftsResponseSchema.parse(await (await browser.fetch('GET', '/api/drafts/mine')).json());
    const draft = mine.drafts[0]!;
    expect(write.isError).toBeFalsy();
    expect((write.content as { text: string }[])[0]!.text).toContain(`Draft ${draft.id}`);
    expect((write.content as { text: string }[])[0]!.text).toContain('waits for approval');
    expect(draft).toMatchObject({ tool: 'create_note', status: 'pending', chatId: null, answerId: null });

    const invalid = await client.callTool({ name: 'lookup_order', arguments: { number: 'seven' } });
    expect(invalid.isError).toBe(true);
    expect((invalid.content as { text: string }[])[0]!.text).toMatch(/^tool\.invalid_arguments/);
    const forbidden = await client.callTool({ name: 'admin_report', arguments: { number: 1 } });
    expect((forbidden.content as { text: string }[])[0]!.text).toMatch(/^tool\.forbidden/);
    await client.close();
  });

  it('refuses a client without a token, with a bad, revoked or expired one: 401 with WWW-Authenticate', async () => {
    await expect(connect(null)).rejects.toThrow();
    const { browser, token, secret } = await tokenFor('mcp-revoked@example.com');
    const expiring = await tokenFor('mcp-expiring@example.com', 'user', 1);

    const post = (authorization?: string) =>
      fetch(mcpUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
    const none = await post();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="atrium"');
    const bad = await post('Bearer atr_not-a-real-token');
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toContain('error="invalid_token"');

    const live = await connect(secret);
    expect((await live.listTools()).tools.length).toBeGreaterThan(0);
    await live.close();
    await browser.fetch('DELETE', `/api/account/tokens/${token.id}`);
    const revoked = await post(`Bearer ${secret}`);
    expect(revoked.status).toBe(401);
    expect(apiErrorSchema.parse(await revoked.json()).code).toBe('token.invalid');
    await expect(connect(secret)).rejects.toThrow();

    t.clock.advance(86_400_001);
    expect((await post(`Bearer ${expiring.secret}`)).status).toBe(401);
  });

  it('needs no CSRF token and ignores the session cookie; GET and DELETE are 405 (stateless)', async () => {
    const { browser } = await tokenFor('mcp-cookie@example.com');
    const withCookieOnly = await browser.fetch('POST', '/mcp', {
      body: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    });
    expect(withCookieOnly.status).toBe(401);
    const { secret } = await tokenFor('mcp-get@example.com');
    const get = await fetch(mcpUrl, { headers: { authorization: `Bearer ${secret}`, accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});
