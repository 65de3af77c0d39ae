import {
  agentListResponseSchema,
  agentResponseSchema,
  agentSystemPromptMaxChars,
  apiErrorSchema,
  type CreateAgentRequest,
  chatResponseSchema,
} from '@atrium/contracts';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agents, auditLog, chats, messages, type UserRow } from '../db/schema/index.js';
import { Browser } from '../testing/browser.js';
import { fakeEntitlements } from '../testing/fake-entitlements.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

/*
 * Agent profiles through the real app (issue 11 item 1): who sees and changes them, and choosing
 * one for a chat behind `multi_agent` — checked when chosen and again at every answer. The
 * entitlement store is a fake the test flips (testing/fake-entitlements.ts).
 */

const entitlements = fakeEntitlements();
let t: TestApp;
let admin: Browser;
let user: Browser;
let userRow: UserRow;
let adminRow: UserRow;
let keys = 0;

const signedIn = async (email: string) => {
  const browser = new Browser(t);
  await browser.signIn(email, testPassword);
  return browser;
};

const refunds = (over: Partial<CreateAgentRequest> = {}): CreateAgentRequest => ({
  id: 'refunds',
  name: 'Refunds',
  description: 'Refunds only.',
  systemPrompt: 'You handle refunds. Be exact.',
  tools: ['search_knowledge_base'],
  model: 'refund-model',
  audience: 'everyone',
  ...over,
});

async function errorOf(response: Response) {
  return { status: response.status, ...apiErrorSchema.passthrough().parse(await response.json()) };
}

async function newChat(browser: Browser, body: Record<string, unknown>) {
  return browser.fetch('POST', '/api/chats', { body });
}

const post = (browser: Browser, chatId: string) =>
  browser.fetch('POST', `/api/chats/${chatId}/messages`, {
    body: { content: 'How do refunds work?' },
    headers: { 'Idempotency-Key': `k-${++keys}` },
  });

beforeAll(async () => {
  t = await createTestApp({ entitlements });
  adminRow = await t.createUser({ email: 'root@example.com', role: 'admin' });
  userRow = await t.createUser({ email: 'user@example.com', role: 'user' });
  admin = await signedIn('root@example.com');
  user = await signedIn('user@example.com');
});
afterAll(async () => {
  await t.runtime.agent.idle();
  await t.close();
});

describe('GET /api/agents', () => {
  it('lists the built-ins for anyone signed in, without their prompts, and whether they may choose', async () => {
    const response = await user.fetch('GET', '/api/agents');
    expect(response.status).toBe(200);
    const body = agentListResponseSchema.parse(await response.json());
    expect(body.canChoose).toBe(false);
    expect(body.agents.map((a) => [a.id, a.builtIn, a.paid])).toEqual([
      ['support', true, false],
      ['billing', true, true],
      ['technical', true, true],
    ]);
    expect(body.agents.every((a) => a.systemPrompt === null)).toBe(true);
  });

  it('gives prompts to those who manage agents, and canChoose with multi_agent', async () => {
    entitlements.pro.add(adminRow.id);
    const body = agentListResponseSchema.parse(await (await admin.fetch('GET', '/api/agents')).json());
    entitlements.pro.delete(adminRow.id);
    expect(body.canChoose).toBe(true);
    expect(body.agents.find((a) => a.id === 'billing')?.systemPrompt).toMatch(/billing assistant/);
  });

  it('refuses the signed-out', async () => {
    expect((await new Browser(t).fetch('GET', '/api/agents')).status).toBe(401);
  });
});

describe('managing agents', () => {
  it('only agents:manage may create, change or delete', async () => {
    expect((await user.fetch('POST', '/api/agents', { body: refunds() })).status).toBe(403);
    expect((await user.fetch('PATCH', '/api/agents/billing', { body: { name: 'Mine' } })).status).toBe(403);
    expect((await user.fetch('DELETE', '/api/agents/billing')).status).toBe(403);
  });

  it('creates an agent, audited with the admin, and refuses its id a second time', async () => {
    const response = await admin.fetch('POST', '/api/agents', { body: refunds() });
    expect(response.status).toBe(201);
    const { agent } = agentResponseSchema.parse(await response.json());
    expect(agent).toMatchObject({
      id: 'refunds',
      builtIn: false,
      paid: true,
      tools: ['search_knowledge_base'],
      model: 'refund-model',
      audience: 'everyone',
      systemPrompt: 'You handle refunds. Be exact.',
    });
    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'agent.created'));
    expect(entry).toMatchObject({ actorId: adminRow.id, target: 'agent:refunds' });

    const again = await errorOf(await admin.fetch('POST', '/api/agents', { body: refunds({ name: 'Other' }) }));
    expect(again).toMatchObject({ status: 409, code: 'agent.id_taken' });
    const builtIn = await errorOf(await admin.fetch('POST', '/api/agents', { body: refunds({ id: 'billing' }) }));
    expect(builtIn).toMatchObject({ status: 409, code: 'agent.id_taken' });
  });

  it('refuses hostile input with 400 and writes nothing', async () => {
    const bad: unknown[] = [
      refunds({ id: 'Bad_Id' }),
      refunds({ id: 'x' }),
      refunds({ id: '-lead' }),
      refunds({ id: 'a'.repeat(41) }),
      refunds({ id: 'huge', systemPrompt: 'x'.repeat(agentSystemPromptMaxChars + 1) }),
      refunds({ id: 'blank', name: '   ' }),
      refunds({ id: 'zw', name: '\u200B\u200B' }),
      refunds({ id: 'rtl', name: '\u202ESupport' }),
      refunds({ id: 'lines', name: 'Support\n(official)' }),
      refunds({ id: 'model', model: '../../x\nfoo' }),
      refunds({ id: 'aud', audience: 'nobody' as never }),
      { ...refunds({ id: 'extra' }), tools: 'search_knowledge_base' },
      { id: 'noprompt', name: 'No prompt' },
    ];
    for (const body of bad) {
      const error = await errorOf(await admin.fetch('POST', '/api/agents', { body }));
      expect(error, JSON.stringify(body).slice(0, 80)).toMatchObject({ status: 400, code: 'request.invalid' });
    }
    expect((await t.db.select({ id: agents.id }).from(agents)).map((r) => r.id)).toEqual(['refunds']);
  });

  it('refuses unknown tool names, listing each of them', async () => {
    const error = await errorOf(
      await admin.fetch('POST', '/api/agents', {
        body: refunds({ id: 'typo', tools: ['search_knowledge_base', 'serach_kb', 'rm_rf'] }),
      }),
    );
    expect(error).toMatchObject({ status: 400, code: 'request.invalid' });
    expect(error.issues?.map((i) => i.message)).toEqual(['no tool named serach_kb', 'no tool named rm_rf']);
    const patched = await errorOf(await admin.fetch('PATCH', '/api/agents/billing', { body: { tools: ['nope'] } }));
    expect(patched).toMatchObject({ status: 400, code: 'request.invalid' });
    expect(await t.db.select().from(agents).where(eq(agents.id, 'typo'))).toEqual([]);
  });

  it('edits a built-in by storing an override, and the list shows it', async () => {
    const response = await admin.fetch('PATCH', '/api/agents/billing', {
      body: { systemPrompt: 'You are the billing desk.', tools: ['get_ticket'] },
    });
    expect(response.status).toBe(200);
    const { agent } = agentResponseSchema.parse(await response.json());
    // Fields not sent keep their values (no defaults on a patch).
    expect(agent).toMatchObject({
      id: 'billing',
      builtIn: true,
      name: 'Billing',
      description: 'Invoices, payments, plans and refunds.',
      tools: ['get_ticket'],
    });
    const list = agentListResponseSchema.parse(await (await admin.fetch('GET', '/api/agents')).json());
    expect(list.agents.find((a) => a.id === 'billing')?.systemPrompt).toBe('You are the billing desk.');
    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'agent.updated'));
    expect(entry).toMatchObject({ actorId: adminRow.id, target: 'agent:billing' });
    expect(entry?.detail).toMatchObject({ changed: ['systemPrompt', 'tools'] });
  });

  it('answers 404 for an unknown agent and 400 for a malformed id', async () => {
    expect(await errorOf(await admin.fetch('PATCH', '/api/agents/ghost', { body: { name: 'G' } }))).toMatchObject({
      status: 404,
      code: 'agent.not_found',
    });
    expect(await errorOf(await admin.fetch('DELETE', '/api/agents/ghost'))).toMatchObject({
      status: 404,
      code: 'agent.not_found',
    });
    expect(await errorOf(await admin.fetch('GET', '/api/agents/ghost'))).toMatchObject({ status: 404 });
    // Nothing to change is not a change (nor an audit entry).
    expect(await errorOf(await admin.fetch('PATCH', '/api/agents/support', { body: {} }))).toMatchObject({
      status: 400,
      code: 'request.invalid',
    });
    expect(await errorOf(await admin.fetch('DELETE', '/api/agents/NOT%20A%20SLUG'))).toMatchObject({
      status: 400,
      code: 'request.invalid',
    });
  });

  it('never deletes a built-in', async () => {
    for (const id of ['support', 'billing', 'technical']) {
      expect(await errorOf(await admin.fetch('DELETE', `/api/agents/${id}`))).toMatchObject({
        status: 409,
        code: 'agent.built_in',
      });
    }
  });
});

describe('choosing an agent for a chat', () => {
  it('the default agent needs nothing; any other needs multi_agent (402 → 201)', async () => {
    const plain = await newChat(user, { title: 'Plain' });
    expect(chatResponseSchema.parse(await plain.json()).chat.agentId).toBe('support');
    const explicit = await newChat(user, { agentId: 'support' });
    expect(explicit.status).toBe(201);

    const refused = await errorOf(await newChat(user, { agentId: 'billing' }));
    expect(refused).toMatchObject({ status: 402, code: 'entitlement.required', feature: 'multi_agent' });

    entitlements.pro.add(userRow.id);
    const allowed = await newChat(user, { agentId: 'billing' });
    entitlements.pro.delete(userRow.id);
    expect(allowed.status).toBe(201);
    expect(chatResponseSchema.parse(await allowed.json()).chat.agentId).toBe('billing');
  });

  it('an unknown agent is 404, a malformed one 400, whatever the plan', async () => {
    entitlements.pro.add(userRow.id);
    expect(await errorOf(await newChat(user, { agentId: 'ghost' }))).toMatchObject({
      status: 404,
      code: 'agent.not_found',
    });
    for (const agentId of ['../etc', 'DROP TABLE', '', 42]) {
      expect(await errorOf(await newChat(user, { agentId }))).toMatchObject({ status: 400, code: 'request.invalid' });
    }
    entitlements.pro.delete(userRow.id);
    expect(await errorOf(await newChat(user, { agentId: 'ghost' }))).toMatchObject({ status: 404 });
  });

  it('switches an open chat: 402 without multi_agent, then 200; switching back needs nothing', async () => {
    const { chat } = chatResponseSchema.parse(await (await newChat(user, { title: 'Switch' })).json());
    expect(
      await errorOf(await user.fetch('PATCH', `/api/chats/${chat.id}`, { body: { agentId: 'technical' } })),
    ).toMatchObject({ status: 402, code: 'entitlement.required' });
    entitlements.pro.add(userRow.id);
    const switched = await user.fetch('PATCH', `/api/chats/${chat.id}`, { body: { agentId: 'technical' } });
    entitlements.pro.delete(userRow.id);
    expect(switched.status).toBe(200);
    expect(chatResponseSchema.parse(await switched.json()).chat).toMatchObject({
      agentId: 'technical',
      title: 'Switch',
    });
    const back = await user.fetch('PATCH', `/api/chats/${chat.id}`, { body: { agentId: 'support', title: 'Back' } });
    expect(chatResponseSchema.parse(await back.json()).chat).toMatchObject({ agentId: 'support', title: 'Back' });
    expect((await user.fetch('PATCH', `/api/chats/${chat.id}`, { body: {} })).status).toBe(400);
  });

  it('checks again at answer time: a paid agent stops answering once multi_agent is revoked', async () => {
    entitlements.pro.add(userRow.id);
    const { chat } = chatResponseSchema.parse(await (await newChat(user, { agentId: 'billing' })).json());
    const first = await post(user, chat.id);
    expect(first.status).toBe(201);
    await t.runtime.agent.idle();

    entitlements.pro.delete(userRow.id);
    expect(await errorOf(await post(user, chat.id))).toMatchObject({ status: 402, code: 'entitlement.required' });
    expect(await errorOf(await user.fetch('POST', `/api/chats/${chat.id}/regenerate`))).toMatchObject({
      status: 402,
      code: 'entitlement.required',
    });
    const answers = await t.db
      .select({ agentId: messages.agentId })
      .from(messages)
      .where(and(eq(messages.chatId, chat.id), eq(messages.role, 'assistant')));
    expect(answers).toEqual([{ agentId: 'billing' }]);

    entitlements.pro.add(userRow.id);
    expect((await post(user, chat.id)).status).toBe(201);
    entitlements.pro.delete(userRow.id);
    await t.runtime.agent.idle();
  });

  it('deleting an agent moves its chats back to the default agent', async () => {
    entitlements.pro.add(userRow.id);
    const { chat } = chatResponseSchema.parse(await (await newChat(user, { agentId: 'refunds' })).json());
    entitlements.pro.delete(userRow.id);
    expect((await admin.fetch('DELETE', '/api/agents/refunds')).status).toBe(200);
    const [row] = await t.db.select().from(chats).where(eq(chats.id, chat.id));
    expect(row?.agentId).toBe('support');
    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'agent.deleted'));
    expect(entry).toMatchObject({ actorId: adminRow.id, target: 'agent:refunds', detail: { chatsMoved: 1 } });
    // The chat answers again without multi_agent: it is back on the default agent.
    expect((await post(user, chat.id)).status).toBe(201);
    await t.runtime.agent.idle();
  });
});
