import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, openTab } from './support/browser.js';
import { admin, type Product, startProduct } from './support/product.js';
import { signInThroughUi } from './support/sign-in.js';

let product: Product;
let browser: Browser;

beforeAll(async () => {
  [product, browser] = await Promise.all([startProduct(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await product?.stop();
});

test('signing out revokes the session on the server, not just in the page', async () => {
  const { page, context } = await openTab(browser);
  await signInThroughUi(page, product.url, admin.email, admin.password);
  const [cookie] = (await context.cookies()).filter((c) => c.name.includes('atrium_session'));
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe('Lax');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login/);
  await expect(page.getByTestId('whoami').count()).resolves.toBe(0);

  // Replaying the old cookie must not work: the session is gone server-side.
  const replay = await fetch(`${product.url}/api/me`, { headers: { Cookie: `${cookie!.name}=${cookie!.value}` } });
  expect(replay.status).toBe(401);

  await page.goto(`${product.url}/chat`);
  await page.waitForURL(/\/login\?next=%2Fchat/);
});
