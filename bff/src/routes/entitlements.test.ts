import {
  apiErrorSchema,
  meResponseSchema,
  userEntitlementsListResponseSchema,
  userEntitlementsResponseSchema,
} from '@atrium/contracts';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, type UserRow, userEvents } from '../db/schema/index.js';
import { signBillingPayload } from '../entitlements/billing-signature.js';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

/* An admin grants and revokes paid features with a reason, audited and pushed to the user. */

let t: TestApp;
let admin: Browser;
let ops: Browser;
let adaTab: Browser;
let ada: UserRow;
let root: UserRow;

const signedIn = async (email: string) => {
  const browser = new Browser(t);
  await browser.signIn(email, testPassword);
  return browser;
};
const put = (body: unknown, id = ada.id, as = admin) => as.fetch('PUT', `/api/users/${id}/entitlements`, { body });
const me = async () => meResponseSchema.parse(await (await adaTab.fetch('GET', '/api/me')).json());
const pushes = async () =>
  (
    await t.db
      .select()
      .from(userEvents)
      .where(and(eq(userEvents.userId, ada.id), eq(userEvents.type, 'entitlement.updated')))
  ).length;
async function codeOf(response: Response) {
  return { status: response.status, code: apiErrorSchema.parse(await response.json()).code };
}

beforeAll(async () => {
  t = await createTestApp();
  root = await t.createUser({ email: 'root@example.com', role: 'admin' });
  await t.createUser({ email: 'ops@example.com', role: 'ops' });
  ada = await t.createUser({ email: 'ada@example.com' });
  admin = await signedIn('root@example.com');
  ops = await signedIn('ops@example.com');
  adaTab = await signedIn('ada@example.com');
});
afterAll(() => t.close());

describe('admin entitlement changes', () => {
  it('shows a user on the default free plan', async () => {
    const response = await admin.fetch('GET', `/api/users/${ada.id}/entitlements`);
    expect(userEntitlementsResponseSchema.parse(await response.json()).entitlements).toMatchObject({
      userId: ada.id,
      plan: 'free',
      planSource: 'default',
      overrides: [],
      features: [],
    });
  });

  it('grants a feature with a reason: audited, pushed, and /api/me has it at once', async () => {
    expect(await me()).toMatchObject({ plan: 'free', entitlements: [] });
    const response = await put({ feature: { feature: 'multi_agent', effect: 'grant' }, reason: 'Pilot customer' });
    expect(response.status).toBe(200);
    const { entitlements } = userEntitlementsResponseSchema.parse(await response.json());
    expect(entitlements).toMatchObject({
      plan: 'free',
      features: ['multi_agent'],
      overrides: [{ feature: 'multi_agent', effect: 'grant', reason: 'Pilot customer', actorId: root.id }],
    });
    expect(await me()).toMatchObject({ plan: 'free', entitlements: ['multi_agent'] });
    expect(await pushes()).toBe(1);
    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'entitlement.changed'));
    expect(audit).toMatchObject({ actorId: root.id, target: `user:${ada.id}` });
    expect(audit!.detail).toMatchObject({
      reason: 'Pilot customer',
      from: { plan: 'free', features: [] },
      to: { plan: 'free', features: ['multi_agent'] },
    });
  });

  it('a revoke beats the plan; inherit hands the decision back to the plan', async () => {
    expect((await put({ plan: 'pro', reason: 'Sales deal' })).status).toBe(200);
    expect((await put({ feature: { feature: 'multi_agent', effect: 'revoke' }, reason: 'Abuse report' })).status).toBe(
      200,
    );
    expect(await me()).toMatchObject({ plan: 'pro', entitlements: [] });
    const response = await put({ feature: { feature: 'multi_agent', effect: 'inherit' }, reason: 'Resolved' });
    expect(userEntitlementsResponseSchema.parse(await response.json()).entitlements).toMatchObject({
      plan: 'pro',
      planSource: 'admin',
      overrides: [],
      features: ['multi_agent'],
    });
    expect(await me()).toMatchObject({ plan: 'pro', entitlements: ['multi_agent'] });
    expect(await t.db.select().from(auditLog).where(eq(auditLog.action, 'entitlement.changed'))).toHaveLength(4);
  });

  it('lists every user’s entitlements', async () => {
    const list = userEntitlementsListResponseSchema.parse(await (await admin.fetch('GET', '/api/entitlements')).json());
    expect(list.entitlements.map((e) => e.userId)).toContain(ada.id);
    expect(list.entitlements.find((e) => e.userId === ada.id)?.plan).toBe('pro');
    expect(list.entitlements.find((e) => e.userId === root.id)?.planSource).toBe('default');
  });

  it('refuses a change without a reason, with nothing to change, or with unknown values: 400, nothing written', async () => {
    const before = await pushes();
    for (const body of [
      { plan: 'free' },
      { plan: 'free', reason: '  ' },
      { reason: 'nothing here' },
      { plan: 'platinum', reason: 'made up' },
      { feature: { feature: 'time_travel', effect: 'grant' }, reason: 'made up' },
      { feature: { feature: 'multi_agent', effect: 'maybe' }, reason: 'made up' },
      { plan: 'free', reason: 'x'.repeat(501) },
    ]) {
      expect(await codeOf(await put(body))).toEqual({ status: 400, code: 'request.invalid' });
    }
    expect(await pushes()).toBe(before);
    expect(await me()).toMatchObject({ plan: 'pro' });
  });

  it('answers 404 for an unknown user and 400 for a malformed id', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(await codeOf(await put({ plan: 'pro', reason: 'who?' }, missing))).toEqual({
      status: 404,
      code: 'user.not_found',
    });
    expect(await codeOf(await admin.fetch('GET', `/api/users/${missing}/entitlements`))).toEqual({
      status: 404,
      code: 'user.not_found',
    });
    expect((await put({ plan: 'pro', reason: 'bad id' }, 'not-a-uuid')).status).toBe(400);
  });

  it('is for billing:manage only: ops and the user themselves get 403', async () => {
    expect((await put({ plan: 'pro', reason: 'self-upgrade' }, ada.id, adaTab)).status).toBe(403);
    expect((await put({ plan: 'pro', reason: 'ops upgrade' }, ada.id, ops)).status).toBe(403);
    expect((await ops.fetch('GET', '/api/entitlements')).status).toBe(403);
    expect((await adaTab.fetch('GET', `/api/users/${ada.id}/entitlements`)).status).toBe(403);
  });
});

describe('POST /api/billing/webhook on a server without ATRIUM_BILLING_WEBHOOK_SECRET', () => {
  it('answers 503 billing.not_configured, even to a request signed with some secret', async () => {
    const raw = JSON.stringify({ id: 'evt_1' });
    const response = await t.app.request('http://localhost/api/billing/webhook', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Atrium-Signature': signBillingPayload(['whsec_some_guessed_secret'], 0, raw),
      },
      body: raw,
    });
    expect(await codeOf(response)).toEqual({ status: 503, code: 'billing.not_configured' });
  });
});
