import { meResponseSchema, userResponseSchema } from '@atrium/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Browser } from '../testing/browser.js';
import { type BffProcess, createScratchDatabase, requireServices, startBff } from '../testing/multi-instance.js';
import { SseReader } from '../testing/sse-reader.js';
import { signBillingPayload } from './billing-signature.js';

/*
 * Two real BFF processes on one PostgreSQL and one Redis: the webhook lands on A, the person's
 * tab is on B. B cached the old plan; when B's stream delivers `entitlement.updated`, B's
 * `/api/me` already answers the new one (the cache was emptied over the bus before the event
 * went out), and B's gated route agrees.
 */

const origin = 'http://atrium.test';
const adminEmail = 'admin@atrium.test';
const adminPassword = 'a perfectly long admin password';
const secret = 'whsec_two_instances_secret';
let dropDatabase: () => Promise<void>;
let a: BffProcess;
let b: BffProcess;

beforeAll(async () => {
  const { databaseUrl, redisUrl } = requireServices();
  const scratch = await createScratchDatabase(databaseUrl);
  dropDatabase = scratch.drop;
  const env = {
    DATABASE_URL: scratch.url,
    REDIS_URL: redisUrl,
    ATRIUM_ADMIN_EMAIL: adminEmail,
    ATRIUM_ADMIN_PASSWORD: adminPassword,
    ATRIUM_PUBLIC_ORIGIN: origin,
    ATRIUM_SEED_LOCAL_REMOTES: 'false',
    ATRIUM_SEED_DEMO_KB: 'false',
    ATRIUM_BILLING_WEBHOOK_SECRET: secret,
    LOG_LEVEL: 'warn',
  };
  a = await startBff(env);
  b = await startBff(env);
}, 180_000);

afterAll(async () => {
  await a?.kill();
  await b?.kill();
  await dropDatabase?.();
});

async function webhookTo(target: BffProcess, userId: string, id: string, plan: 'free' | 'pro', created: number) {
  const raw = JSON.stringify({ id, type: 'subscription.updated', created, data: { userId, plan, status: 'active' } });
  const response = await fetch(`${target.base}/api/billing/webhook`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Atrium-Signature': signBillingPayload([secret], Math.floor(Date.now() / 1000), raw),
    },
    body: raw,
  });
  expect(response.status).toBe(200);
}

it('a webhook on one instance unlocks the feature on the other before its tab hears of it', async () => {
  const admin = new Browser(b.target as never, { origin });
  expect((await admin.signIn(adminEmail, adminPassword)).status).toBe(200);
  const created = await admin.fetch('POST', '/api/users', {
    body: { email: 'payer@atrium.test', displayName: 'Payer', role: 'user', password: 'a perfectly long password' },
  });
  const userId = userResponseSchema.parse(await created.json()).user.id;

  const tab = new Browser(b.target as never, { origin });
  expect((await tab.signIn('payer@atrium.test', 'a perfectly long password')).status).toBe(200);
  const me = async () => meResponseSchema.parse(await (await tab.fetch('GET', '/api/me')).json());
  expect((await me()).entitlements).toEqual([]); // now cached on B
  expect((await tab.fetch('POST', '/api/chats', { body: { agentId: 'billing' } })).status).toBe(402);

  const stream = await tab.fetch('GET', '/api/events');
  const reader = new SseReader(stream.body!);
  await reader.untilComment('live');

  const now = Math.floor(Date.now() / 1000);
  await webhookTo(a, userId, 'evt_multi_1', 'pro', now);
  await reader.until((e) => e.type === 'entitlement.updated');
  expect(await me()).toMatchObject({ plan: 'pro', entitlements: ['multi_agent'] });
  expect((await tab.fetch('POST', '/api/chats', { body: { agentId: 'billing' } })).status).toBe(201);

  // And back: the admin's change on A locks it on B.
  const adminOnA = new Browser(a.target as never, { origin });
  expect((await adminOnA.signIn(adminEmail, adminPassword)).status).toBe(200);
  const revoked = await adminOnA.fetch('PUT', `/api/users/${userId}/entitlements`, {
    body: { feature: { feature: 'multi_agent', effect: 'revoke' }, reason: 'Chargeback under review' },
  });
  expect(revoked.status).toBe(200);
  await reader.until((e) => e.type === 'entitlement.updated');
  expect(await me()).toMatchObject({ plan: 'pro', entitlements: [] });
  expect((await tab.fetch('POST', '/api/chats', { body: { agentId: 'billing' } })).status).toBe(402);
  await reader.close();
}, 120_000);
