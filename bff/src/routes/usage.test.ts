import {
  accountUsageResponseSchema,
  apiErrorSchema,
  budgetExceededDetailSchema,
  chatResponseSchema,
  type Role,
  usageResponseSchema,
  userResponseSchema,
} from '@atrium/contracts';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, chats, messages } from '../db/schema/index.js';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
const people = new Map<string, { browser: Browser; userId: string }>();

async function person(name: string, role: Role) {
  const user = await t.createUser({ email: `${name}@example.com`, role });
  const browser = new Browser(t);
  await browser.signIn(`${name}@example.com`, testPassword);
  people.set(name, { browser, userId: user.id });
}
const as = (name: string) => people.get(name)!;

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(apiErrorSchema.parse(await response.json()).code).toBe(code);
}

/** A finished answer with recorded usage, written straight to the table (what the agent stores). */
async function answer(
  userId: string,
  at: string,
  usage: {
    costUsd: number;
    promptTokens?: number;
    completionTokens?: number;
    model?: string | null;
    agentId?: string | null;
  },
) {
  const createdAt = new Date(at);
  const [chat] = await t.db.insert(chats).values({ userId, createdAt, updatedAt: createdAt }).returning();
  await t.db.insert(messages).values({
    chatId: chat!.id,
    userId,
    role: 'assistant',
    status: 'complete',
    content: 'an answer',
    model: usage.model === undefined ? 'gpt-4o-mini' : usage.model,
    agentId: usage.agentId === undefined ? 'support' : usage.agentId,
    promptTokens: usage.promptTokens ?? 100,
    completionTokens: usage.completionTokens ?? 10,
    costUsd: usage.costUsd,
    createdAt,
    updatedAt: createdAt,
  });
}

beforeAll(async () => {
  t = await createTestApp({ env: { ATRIUM_WORKER: 'off', ATRIUM_DEFAULT_MONTHLY_BUDGET_USD: '50' } });
  await person('alice', 'user');
  await person('bob', 'user');
  await person('ops', 'ops');
  await person('admin', 'admin');
  // 2029: before the test clock's 2030-01-01, so posting in other tests never adds to these totals.
  await answer(as('alice').userId, '2029-03-01T10:00:00Z', { costUsd: 0.5, model: 'gpt-4o', agentId: 'billing' });
  await answer(as('alice').userId, '2029-03-01T23:59:59Z', { costUsd: 0.25, model: 'gpt-4o-mini', agentId: null });
  await answer(as('bob').userId, '2029-03-02T00:00:00Z', { costUsd: 1, model: null, agentId: 'support' });
  await answer(as('bob').userId, '2029-04-10T12:00:00Z', { costUsd: 2, promptTokens: 7, completionTokens: 3 });
  // Outside every queried range below: the day after `to` and a user message (never counted).
  await answer(as('bob').userId, '2029-05-01T00:00:00Z', { costUsd: 100 });
});
afterAll(() => t.close());

describe('GET /api/usage', () => {
  it('totals answers per day and user, `to` exclusive, labelled with name and email', async () => {
    const response = await as('ops').browser.fetch(
      'GET',
      '/api/usage?groupBy=user&bucket=day&from=2029-03-01&to=2029-05-01',
    );
    expect(response.status).toBe(200);
    const { rows } = usageResponseSchema.parse(await response.json());
    expect(rows).toEqual([
      {
        bucketStart: '2029-03-01',
        key: as('alice').userId,
        label: 'alice <alice@example.com>',
        answers: 2,
        promptTokens: 200,
        completionTokens: 20,
        costUsd: 0.75,
      },
      {
        bucketStart: '2029-03-02',
        key: as('bob').userId,
        label: 'bob <bob@example.com>',
        answers: 1,
        promptTokens: 100,
        completionTokens: 10,
        costUsd: 1,
      },
      {
        bucketStart: '2029-04-10',
        key: as('bob').userId,
        label: 'bob <bob@example.com>',
        answers: 1,
        promptTokens: 7,
        completionTokens: 3,
        costUsd: 2,
      },
    ]);
  });

  it('groups by agent and by model per month, with `unknown` for answers that recorded none', async () => {
    const byAgent = await as('admin').browser.fetch(
      'GET',
      '/api/usage?groupBy=agent&bucket=month&from=2029-03-01&to=2029-05-01',
    );
    const agents = usageResponseSchema
      .parse(await byAgent.json())
      .rows.map((r) => [r.bucketStart, r.key, r.answers, r.costUsd]);
    expect(agents).toEqual([
      ['2029-03-01', 'support', 1, 1],
      ['2029-03-01', 'billing', 1, 0.5],
      ['2029-03-01', 'unknown', 1, 0.25],
      ['2029-04-01', 'support', 1, 2],
    ]);
    const byModel = await as('admin').browser.fetch(
      'GET',
      '/api/usage?groupBy=model&bucket=month&from=2029-03-01&to=2029-04-01',
    );
    const models = usageResponseSchema.parse(await byModel.json()).rows.map((r) => [r.key, r.label, r.costUsd]);
    expect(models).toEqual([
      ['unknown', 'unknown', 1],
      ['gpt-4o', 'gpt-4o', 0.5],
      ['gpt-4o-mini', 'gpt-4o-mini', 0.25],
    ]);
  });

  it('answers an empty range with no rows', async () => {
    const response = await as('ops').browser.fetch('GET', '/api/usage?from=2020-01-01&to=2020-02-01');
    expect(usageResponseSchema.parse(await response.json()).rows).toEqual([]);
  });

  it('is for usage:read only, and refuses hostile or unbounded queries with 400', async () => {
    await expectError(
      await as('alice').browser.fetch('GET', '/api/usage?from=2029-03-01&to=2029-04-01'),
      403,
      'auth.forbidden',
    );
    await expectError(
      await new Browser(t).fetch('GET', '/api/usage?from=2029-03-01&to=2029-04-01'),
      401,
      'auth.required',
    );
    const ops = as('ops').browser;
    for (const query of [
      '',
      'from=2029-03-01',
      'from=2029-13-01&to=2029-14-01',
      'from=2029-02-30&to=2029-03-01',
      'from=2029-03-01&to=2029-03-01',
      'from=2029-04-01&to=2029-03-01',
      'from=2028-01-01&to=2029-03-01',
      'from=2029-03-01&to=2029-04-01&groupBy=email',
      'from=2029-03-01&to=2029-04-01&bucket=hour',
      "from=2029-03-01'); drop table messages; --&to=2029-04-01",
      'from=2029-03-01T00:00:00Z&to=2029-04-01',
    ]) {
      await expectError(await ops.fetch('GET', `/api/usage?${query}`), 400, 'request.invalid');
    }
  });
});

describe('budgets', () => {
  it('lets an admin set and clear a budget with a reason, audited; others may not', async () => {
    const target = as('bob').userId;
    await expectError(
      await as('ops').browser.fetch('PUT', `/api/users/${target}/budget`, { body: { monthlyUsd: 5, reason: 'trial' } }),
      403,
      'auth.forbidden',
    );
    const admin = as('admin').browser;
    for (const body of [
      { monthlyUsd: -1, reason: 'negative' },
      { monthlyUsd: 5 },
      { monthlyUsd: 5, reason: '  ' },
      { monthlyUsd: '5', reason: 'a string' },
      { monthlyUsd: 2_000_000, reason: 'too much' },
    ]) {
      await expectError(await admin.fetch('PUT', `/api/users/${target}/budget`, { body }), 400, 'request.invalid');
    }
    await expectError(
      await admin.fetch('PUT', '/api/users/not-a-uuid/budget', { body: { monthlyUsd: 5, reason: 'trial' } }),
      400,
      'request.invalid',
    );
    await expectError(
      await admin.fetch('PUT', `/api/users/${crypto.randomUUID()}/budget`, {
        body: { monthlyUsd: 5, reason: 'trial' },
      }),
      404,
      'user.not_found',
    );
    const set = await admin.fetch('PUT', `/api/users/${target}/budget`, {
      body: { monthlyUsd: 5, reason: 'trial month' },
    });
    expect(set.status).toBe(200);
    expect(userResponseSchema.parse(await set.json()).user.monthlyBudgetUsd).toBe(5);
    const cleared = await admin.fetch('PUT', `/api/users/${target}/budget`, {
      body: { monthlyUsd: null, reason: 'back to default' },
    });
    expect(userResponseSchema.parse(await cleared.json()).user.monthlyBudgetUsd).toBeNull();
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'user.budget_changed'), eq(auditLog.target, `user:${target}`)));
    expect(audits.map((a) => a.detail)).toEqual([
      { from: null, to: 5, reason: 'trial month' },
      { from: 5, to: null, reason: 'back to default' },
    ]);
    expect(audits[0]!.actorId).toBe(as('admin').userId);
  });

  it('shows the caller their own month against the default budget', async () => {
    await answer(as('alice').userId, '2030-01-01T08:00:00Z', { costUsd: 0.125, promptTokens: 40, completionTokens: 4 });
    await answer(as('alice').userId, '2029-12-31T23:59:59Z', { costUsd: 9 });
    const response = await as('alice').browser.fetch('GET', '/api/account/usage');
    expect(accountUsageResponseSchema.parse(await response.json())).toEqual({
      month: '2030-01-01',
      costUsd: 0.125,
      promptTokens: 40,
      completionTokens: 4,
      budgetUsd: 50,
    });
    await expectError(await new Browser(t).fetch('GET', '/api/account/usage'), 401, 'auth.required');
  });

  it('refuses a message once the month is spent: 429, Retry-After to the month end, nothing written; renews next month', async () => {
    const carol = await t.createUser({ email: 'carol@example.com' });
    let browser = new Browser(t);
    await browser.signIn('carol@example.com', testPassword);
    const created = await browser.fetch('POST', '/api/chats', { body: {} });
    const chatId = chatResponseSchema.parse(await created.json()).chat.id;
    await as('admin').browser.fetch('PUT', `/api/users/${carol.id}/budget`, {
      body: { monthlyUsd: 1, reason: 'pilot' },
    });
    await answer(carol.id, '2030-01-01T08:30:00Z', { costUsd: 1 });
    const asked = new Date('2030-01-01T08:45:00Z');
    await t.db.insert(messages).values({
      chatId,
      userId: carol.id,
      role: 'user',
      status: 'complete',
      content: 'an earlier question',
      createdAt: asked,
      updatedAt: asked,
    });
    const before = await t.db.select().from(messages).where(eq(messages.chatId, chatId));

    const refused = await browser.fetch('POST', `/api/chats/${chatId}/messages`, {
      body: { content: 'one more question' },
      headers: { 'Idempotency-Key': 'k1' },
    });
    expect(refused.status).toBe(429);
    // The test clock is 2030-01-01T09:00:00Z: 31 days minus 9 hours to February.
    expect(refused.headers.get('retry-after')).toBe(String(31 * 86_400 - 9 * 3_600));
    const refusal: unknown = await refused.json();
    const error = apiErrorSchema.parse(refusal);
    expect(error.code).toBe('budget.exceeded');
    // chat-core reads the amounts and the renewal from the body without zod: the BFF checks the shape here.
    expect(budgetExceededDetailSchema.parse(refusal)).toEqual({
      budgetUsd: 1,
      costUsd: expect.any(Number),
      renewsAt: '2030-02-01T00:00:00.000Z',
    });
    expect(error.message).toContain('$1.00');
    expect(error.message).toContain('2030-02-01');
    expect(await t.db.select().from(messages).where(eq(messages.chatId, chatId))).toEqual(before);
    await expectError(await browser.fetch('POST', `/api/chats/${chatId}/regenerate`), 429, 'budget.exceeded');
    expect(await t.db.select().from(messages).where(eq(messages.chatId, chatId))).toEqual(before);

    // One second before the month ends: still refused, and told to wait one second.
    t.clock.advance(31 * 86_400_000 - 9 * 3_600_000 - 1_000);
    browser = new Browser(t); // the session's absolute lifetime has passed
    await browser.signIn('carol@example.com', testPassword);
    const last = await browser.fetch('POST', `/api/chats/${chatId}/messages`, {
      body: { content: 'one more question' },
      headers: { 'Idempotency-Key': 'k2' },
    });
    expect(last.status).toBe(429);
    expect(last.headers.get('retry-after')).toBe('1');

    t.clock.advance(1_000);
    const renewed = await browser.fetch('POST', `/api/chats/${chatId}/messages`, {
      body: { content: 'one more question' },
      headers: { 'Idempotency-Key': 'k3' },
    });
    expect(renewed.status).toBe(201);
  });
});
