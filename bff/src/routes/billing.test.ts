import {
  apiErrorSchema,
  auditQuerySchema,
  type BillingWebhookEvent,
  billingWebhookResponseSchema,
  meResponseSchema,
} from '@atrium/contracts';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEntries } from '../audit/audit-trail.js';
import { auditLog, billingEvents, type UserRow, userEvents, userPlans } from '../db/schema/index.js';
import { signBillingPayload } from '../entitlements/billing-signature.js';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

/*
 * The payment provider's webhook through the real app: no session, no CSRF token, the HMAC over
 * the raw body is all that is trusted.
 */

const secret = 'whsec_billing_test_secret_1';
const nextSecret = 'whsec_billing_test_secret_2';
let t: TestApp;
let ada: UserRow;
let adaTab: Browser;
let eventNo = 0;

const nowSeconds = () => Math.floor(t.clock.now().getTime() / 1000);

function event(overrides: Partial<BillingWebhookEvent> & { plan?: 'free' | 'pro'; status?: string } = {}) {
  eventNo += 1;
  const { plan = 'pro', status = 'active', ...rest } = overrides;
  return {
    id: `evt_${eventNo}`,
    type: 'subscription.updated',
    created: nowSeconds(),
    data: { userId: ada.id, plan, status },
    ...rest,
  } as BillingWebhookEvent;
}

function deliver(raw: string, header?: string, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...extra };
  if (header !== undefined) headers['Atrium-Signature'] = header;
  return t.app.request('http://localhost/api/billing/webhook', { method: 'POST', headers, body: raw });
}

const signed = (body: unknown, secrets = [secret], at = nowSeconds()) => {
  const raw = JSON.stringify(body);
  return deliver(raw, signBillingPayload(secrets, at, raw));
};

async function codeOf(response: Response) {
  return { status: response.status, code: apiErrorSchema.parse(await response.json()).code };
}

const planOf = async (userId = ada.id) =>
  (await t.db.select().from(userPlans).where(eq(userPlans.userId, userId)))[0]?.plan ?? 'free';
const pushes = async () =>
  (
    await t.db
      .select()
      .from(userEvents)
      .where(and(eq(userEvents.userId, ada.id), eq(userEvents.type, 'entitlement.updated')))
  ).length;
const me = async () => meResponseSchema.parse(await (await adaTab.fetch('GET', '/api/me')).json());

beforeAll(async () => {
  t = await createTestApp({ env: { ATRIUM_BILLING_WEBHOOK_SECRET: `${secret},${nextSecret}` } });
  ada = await t.createUser({ email: 'ada@example.com' });
  adaTab = new Browser(t);
  await adaTab.signIn('ada@example.com', testPassword);
});
afterAll(() => t.close());

describe('POST /api/billing/webhook', () => {
  it('upgrades the user: 200, the plan, an audit row, entitlement.updated, and /api/me says so at once', async () => {
    expect((await me()).entitlements).toEqual([]);
    const body = event();
    const response = await signed(body);
    expect(response.status).toBe(200);
    expect(billingWebhookResponseSchema.parse(await response.json())).toEqual({ received: true, duplicate: false });
    expect(await planOf()).toBe('pro');
    expect(await pushes()).toBe(1);
    expect(await me()).toMatchObject({ plan: 'pro', entitlements: ['multi_agent'] });
    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'entitlement.plan_changed'));
    expect(audit).toMatchObject({ actorId: null, target: `user:${ada.id}` });
    expect(audit!.detail).toMatchObject({ from: 'free', to: 'pro', source: 'billing', eventId: body.id });
    // The audit log shows Atrium itself as the actor, not a deleted user.
    const { entries } = await listAuditEntries(t.db, auditQuerySchema.parse({ action: 'entitlement.plan_changed' }));
    expect(entries[0]!.actor).toEqual({ kind: 'system' });
  });

  it('answers a redelivered event id as a duplicate and changes nothing, even if its body differs', async () => {
    const first = event({ plan: 'free', status: 'canceled' });
    expect((await signed(first)).status).toBe(200);
    expect(await planOf()).toBe('free');
    const before = await pushes();
    t.clock.advance(1000);
    const replay = await signed({
      ...first,
      created: nowSeconds(),
      data: { ...first.data, plan: 'pro', status: 'active' },
    });
    expect(billingWebhookResponseSchema.parse(await replay.json())).toEqual({ received: true, duplicate: true });
    expect(await planOf()).toBe('free');
    expect(await pushes()).toBe(before);
  });

  it('applies one of two simultaneous deliveries of the same event; the other is a duplicate', async () => {
    t.clock.advance(1000);
    expect(await planOf()).toBe('free');
    const body = event({ plan: 'pro' });
    const before = await pushes();
    const answers = await Promise.all([signed(body), signed(body)]);
    const parsed = await Promise.all(answers.map(async (r) => billingWebhookResponseSchema.parse(await r.json())));
    expect(parsed.map((p) => p.duplicate).sort()).toEqual([false, true]);
    expect(await pushes()).toBe(before + 1);
  });

  it('ignores an event created before the newest one applied (out-of-order delivery), but records it', async () => {
    t.clock.advance(10_000);
    const newer = event({ plan: 'pro' });
    const older = event({ plan: 'free', status: 'canceled', created: newer.created - 5 });
    expect((await signed(newer)).status).toBe(200);
    expect(await planOf()).toBe('pro');
    const before = await pushes();
    const late = await signed(older);
    expect(billingWebhookResponseSchema.parse(await late.json())).toEqual({ received: true, duplicate: false });
    expect(await planOf()).toBe('pro');
    expect(await pushes()).toBe(before);
    const [row] = await t.db.select().from(billingEvents).where(eq(billingEvents.id, older.id));
    expect(row?.outcome).toBe('stale');
  });

  it('maps subscription.deleted and unpaid to free, and past_due keeps the plan', async () => {
    t.clock.advance(1000);
    expect((await signed(event({ plan: 'pro', status: 'past_due' }))).status).toBe(200);
    expect(await planOf()).toBe('pro');
    t.clock.advance(1000);
    expect((await signed(event({ type: 'subscription.deleted', plan: 'pro', status: 'active' }))).status).toBe(200);
    expect(await planOf()).toBe('free');
    t.clock.advance(1000);
    expect((await signed(event({ plan: 'pro', status: 'trialing' }))).status).toBe(200);
    expect(await planOf()).toBe('pro');
    t.clock.advance(1000);
    expect((await signed(event({ plan: 'pro', status: 'unpaid' }))).status).toBe(200);
    expect(await planOf()).toBe('free');
  });

  it('accepts either configured secret (rotation) and a header with two v1 signatures', async () => {
    t.clock.advance(1000);
    expect((await signed(event(), [nextSecret])).status).toBe(200);
    t.clock.advance(1000);
    expect((await signed(event({ plan: 'free', status: 'canceled' }), ['whsec_retired_old_one', secret])).status).toBe(
      200,
    );
    expect(await planOf()).toBe('free');
  });

  it('refuses a missing header, another secret, a stale or future timestamp and a tampered body: 400, nothing recorded', async () => {
    const body = event();
    const raw = JSON.stringify(body);
    const refused = { status: 400, code: 'billing.signature_invalid' };
    expect(await codeOf(await deliver(raw))).toEqual(refused);
    expect(await codeOf(await deliver(raw, 'garbage'))).toEqual(refused);
    expect(await codeOf(await signed(body, ['whsec_an_attackers_guess']))).toEqual(refused);
    expect(await codeOf(await signed(body, [secret], nowSeconds() - 301))).toEqual(refused);
    expect(await codeOf(await signed(body, [secret], nowSeconds() + 301))).toEqual(refused);
    const header = signBillingPayload([secret], nowSeconds(), raw);
    expect(await codeOf(await deliver(raw.replace('"pro"', '"free"'), header))).toEqual(refused);
    expect(await t.db.select().from(billingEvents).where(eq(billingEvents.id, body.id))).toEqual([]);
    expect(t.logs.filter((l) => l.msg === 'billing webhook refused').map((l) => l.reason)).toEqual(
      expect.arrayContaining(['missing', 'malformed', 'no_match', 'outside_tolerance']),
    );
  });

  it('refuses signed bodies that are not JSON or not the contract’s shape: 400 request.invalid', async () => {
    const raw = '{"id": "evt_x", ';
    expect(await codeOf(await deliver(raw, signBillingPayload([secret], nowSeconds(), raw)))).toEqual({
      status: 400,
      code: 'request.invalid',
    });
    expect(
      await codeOf(await signed({ ...event(), data: { userId: 'not-a-uuid', plan: 'pro', status: 'active' } })),
    ).toEqual({ status: 400, code: 'request.invalid' });
    expect(await codeOf(await signed({ ...event(), type: 'invoice.paid' }))).toEqual({
      status: 400,
      code: 'request.invalid',
    });
    expect(
      await codeOf(await signed({ ...event(), plan: undefined, data: { ...event().data, plan: 'platinum' } })),
    ).toEqual({ status: 400, code: 'request.invalid' });
  });

  it('refuses a signed event created in the future or beyond any date: 400 request.invalid, nothing written, the plan not frozen', async () => {
    const before = await planOf();
    const lastEventAt = async () =>
      (await t.db.select().from(userPlans).where(eq(userPlans.userId, ada.id)))[0]?.lastEventAt ?? null;
    const lastBefore = await lastEventAt();
    const audits = (await t.db.select().from(auditLog)).length;
    const pushed = await pushes();
    for (const created of [9007199254740991, 8640000000001, 9999999999, nowSeconds() + 301]) {
      const body = event({ created, plan: before === 'pro' ? 'free' : 'pro' });
      const response = await signed(body);
      expect(response.status, String(created)).toBe(400);
      const error = apiErrorSchema.parse(await response.json());
      expect(error.code, String(created)).toBe('request.invalid');
      expect(
        error.issues?.map((issue) => issue.path),
        String(created),
      ).toEqual(['created']);
      expect(await t.db.select().from(billingEvents).where(eq(billingEvents.id, body.id))).toEqual([]);
    }
    const future = apiErrorSchema.parse(await (await signed(event({ created: 9999999999 }))).json());
    expect(future.message).toContain('later than this server');
    expect(await planOf()).toBe(before);
    expect(await lastEventAt()).toEqual(lastBefore);
    expect((await t.db.select().from(auditLog)).length).toBe(audits);
    expect(await pushes()).toBe(pushed);
    // Within the tolerance (the provider's clock a little ahead) is accepted, and a later real event still applies.
    const ahead = event({ created: nowSeconds() + 300, plan: before === 'pro' ? 'free' : 'pro' });
    expect((await signed(ahead)).status).toBe(200);
    expect(await planOf()).toBe(ahead.data.plan);
  });

  it('records an event for an unknown user and answers 200 (the provider would retry forever), warning in the log', async () => {
    const body = {
      ...event(),
      data: { userId: '00000000-0000-4000-8000-000000000000', plan: 'pro', status: 'active' },
    };
    const response = await signed(body);
    expect(billingWebhookResponseSchema.parse(await response.json())).toEqual({ received: true, duplicate: false });
    const [row] = await t.db.select().from(billingEvents).where(eq(billingEvents.id, body.id));
    expect(row?.outcome).toBe('unknown_user');
    expect(billingWebhookResponseSchema.parse(await (await signed(body)).json()).duplicate).toBe(true);
  });

  it('needs no session or CSRF token, and a session cookie gives a forged request nothing', async () => {
    const raw = JSON.stringify(event());
    const response = await deliver(raw, undefined, {
      Cookie: [...adaTab.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'X-CSRF-Token': adaTab.csrfToken!,
      Origin: 'https://evil.example',
      'Sec-Fetch-Site': 'cross-site',
    });
    expect(await codeOf(response)).toEqual({ status: 400, code: 'billing.signature_invalid' });
  });

  it('refuses a body above the limit: 413', async () => {
    const raw = JSON.stringify({ ...event(), padding: 'x'.repeat(200 * 1024) });
    expect(await codeOf(await deliver(raw, signBillingPayload([secret], nowSeconds(), raw)))).toEqual({
      status: 413,
      code: 'request.too_large',
    });
  });
});
