import { createHmac } from 'node:crypto';
import { entitlementRequiredErrorSchema } from '@atrium/contracts';
import type { Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { ApiSession } from './support/api-session.js';
import { openTab } from './support/browser.js';
import { journey } from './support/journey.js';
import { admin } from './support/product.js';
import { signInThroughUi } from './support/sign-in.js';

/*
 * Issue 11's entitlement journey: a person has /chat open in two tabs; the payment provider's
 * webhook (signed, over real HTTP) upgrades them; both tabs show the agent picker without a
 * reload, and the API that refused a paid agent now accepts it. A downgrade locks it again; an
 * admin's grant on the Plans page unlocks it once more.
 */

const secret = 'whsec_e2e_billing_secret_0123456789';
const started = journey({ ATRIUM_BILLING_WEBHOOK_SECRET: secret });
const person = { email: 'subscriber@e2e.test', password: 'a long enough password' };
let userId: string;
let personApi: ApiSession;
let eventNo = 0;

/** What the provider sends: Stripe's signature scheme under our header name (docs/billing-webhook.md). */
async function webhook(type: 'subscription.updated' | 'subscription.deleted', plan: 'free' | 'pro', created: number) {
  eventNo += 1;
  const raw = JSON.stringify({ id: `evt_e2e_${eventNo}`, type, created, data: { userId, plan, status: 'active' } });
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex');
  const response = await fetch(`${started.product.url}/api/billing/webhook`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Atrium-Signature': `t=${t},v1=${v1}` },
    body: raw,
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ received: true, duplicate: false });
}

const createChatWithPaidAgent = () => personApi.raw('POST', '/api/chats', { agentId: 'billing' });

/** Marks the page's JavaScript realm: the mark survives re-renders but not a reload. */
const markRealm = (page: Page) => page.evaluate(() => Object.assign(window, { realmMark: 'before-webhook' }));
const sameRealm = (page: Page) =>
  page.evaluate(() => (window as { realmMark?: string }).realmMark === 'before-webhook');

beforeAll(async () => {
  const adminSession = await ApiSession.signIn(started.product.url, admin.email, admin.password);
  userId = (await adminSession.createUser(person.email, person.password, 'user')).id;
  personApi = await ApiSession.signIn(started.product.url, person.email, person.password);
});

test('a webhook upgrade shows the agent picker in every open tab at once, a downgrade locks it, an admin grant unlocks it', async () => {
  const { context, page: first } = await openTab(started.browser);
  await signInThroughUi(first, started.product.url, person.email, person.password, '/chat');
  const second = await context.newPage();
  await second.goto(`${started.product.url}/chat`);
  await second.getByTestId('whoami').waitFor();
  const tabs = [first, second];
  for (const tab of tabs) {
    await tab.getByTestId('new-chat').waitFor();
    expect(await tab.getByTestId('agent-picker').count()).toBe(0);
    await markRealm(tab);
  }

  const refused = await createChatWithPaidAgent();
  expect(refused.status).toBe(402);
  expect(entitlementRequiredErrorSchema.parse(await refused.json()).feature).toBe('multi_agent');

  const now = Math.floor(Date.now() / 1000);
  await webhook('subscription.updated', 'pro', now);
  for (const tab of tabs) {
    await tab.getByTestId('agent-picker').first().waitFor();
    expect(await sameRealm(tab)).toBe(true);
  }
  expect((await createChatWithPaidAgent()).status).toBe(201);

  await webhook('subscription.deleted', 'pro', now + 1);
  for (const tab of tabs) {
    await tab.getByTestId('agent-picker').first().waitFor({ state: 'detached' });
    expect(await sameRealm(tab)).toBe(true);
  }
  expect((await createChatWithPaidAgent()).status).toBe(402);

  // An admin grants the feature on the Plans page, with a reason: the tabs unlock again.
  const adminTab = await openTab(started.browser);
  await signInThroughUi(adminTab.page, started.product.url, admin.email, admin.password, '/admin/plans');
  const row = adminTab.page.locator(`[data-testid="plan-row"][data-email="${person.email}"]`);
  await row.getByRole('button', { name: `Change the plan of ${person.email}` }).click();
  const dialog = adminTab.page.getByTestId('change-plan-dialog');
  await dialog.getByRole('combobox', { name: /^Override/ }).selectOption('grant');
  await dialog.getByLabel('Reason').fill('Pilot customer');
  await dialog.getByRole('button', { name: 'Save change' }).click();
  await adminTab.page.getByText(`The plan of ${person.email} was changed.`).waitFor();
  await row.getByText('Choosing agents granted: Pilot customer').waitFor();
  for (const tab of tabs) {
    await tab.getByTestId('agent-picker').first().waitFor();
    expect(await sameRealm(tab)).toBe(true);
  }
  expect((await createChatWithPaidAgent()).status).toBe(201);
});
