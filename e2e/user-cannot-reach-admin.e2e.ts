import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ApiSession } from './support/api-session.js';
import { launchBrowser, openTab, remoteRequests } from './support/browser.js';
import { admin, type Product, startProduct } from './support/product.js';
import { signInThroughUi } from './support/sign-in.js';

let product: Product;
let browser: Browser;
const person = { email: 'person@e2e.test', password: 'a long enough password' };

beforeAll(async () => {
  [product, browser] = await Promise.all([startProduct(), launchBrowser()]);
  const adminSession = await ApiSession.signIn(product.url, admin.email, admin.password);
  await adminSession.createUser(person.email, person.password, 'user');
});
afterAll(async () => {
  await browser?.close();
  await product?.stop();
});

test('a user sees no admin navigation, is refused at /admin, and the API refuses too', async () => {
  const tab = await openTab(browser);
  const { page } = tab;
  await signInThroughUi(page, product.url, person.email, person.password);

  await expect(
    page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Admin' }).count(),
  ).resolves.toBe(0);
  await page.goto(`${product.url}/admin/users`);
  await page.getByTestId('forbidden').waitFor();
  expect(remoteRequests(tab, 'admin')).toEqual([]);

  const status = await page.evaluate(async () => (await fetch('/api/users')).status);
  expect(status).toBe(403);

  const userSession = await ApiSession.signIn(product.url, person.email, person.password);
  const write = await userSession.raw('POST', '/api/users', {
    email: 'x@e2e.test',
    password: 'another long password',
    role: 'admin',
    displayName: 'x',
  });
  expect(write.status).toBe(403);
  expect(((await write.json()) as { code: string }).code).toBe('auth.forbidden');
});
