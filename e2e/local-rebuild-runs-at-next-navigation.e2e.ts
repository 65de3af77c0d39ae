import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, openTab } from './support/browser.js';
import { admin, type Product, startProduct } from './support/product.js';
import { checkoutWithEditableRemote, type EditableCheckout } from './support/remote-builds.js';
import { signInThroughUi } from './support/sign-in.js';

/**
 * The development loop (`pnpm dev`, `ATRIUM_SEED_LOCAL_REMOTES=watch`): a developer changes a
 * string in chat-core and rebuilds the same version. The registry releases the rebuild as
 * `1.0.0-dev.<hash>`, and a page that already ran the previous build shows the new text at its
 * next navigation into chat, without a reload.
 */
let checkout: EditableCheckout;
let product: Product;
let browser: Browser;

beforeAll(async () => {
  checkout = await checkoutWithEditableRemote('chat-core');
  [product, browser] = await Promise.all([
    startProduct({ ATRIUM_STATIC_DIR: checkout.dir, ATRIUM_SEED_LOCAL_REMOTES: 'watch' }),
    launchBrowser(),
  ]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await product?.stop();
  await checkout?.remove();
});

test('a rebuilt chat-core of the same version runs at the next navigation into chat, without a reload', async () => {
  const { page, requests } = await openTab(browser);
  await signInThroughUi(page, product.url, admin.email, admin.password, '/chat');
  const title = page.locator('[data-remote="chat-core"] h1');
  await expect.poll(() => title.textContent(), { timeout: 15_000 }).toBe('Chat');
  await page.evaluate(() => Object.assign(window, { openedBeforeRebuild: true }));

  await page.getByRole('link', { name: 'Account' }).click();
  await page.locator('[data-remote="auth-ui"]').waitFor();

  const released = page.waitForResponse(
    async (response) => response.url().endsWith('/api/remotes') && (await response.text()).includes('1.0.0-dev.'),
    { timeout: 45_000 },
  );
  await checkout.edit('src/i18n/en.ts', (text) => text.replace("title: 'Chat',", "title: 'Chat, rebuilt',"));
  await checkout.rebuild();
  await released;

  await page.getByRole('link', { name: 'Chat', exact: true }).click();
  await expect.poll(() => title.textContent(), { timeout: 15_000 }).toBe('Chat, rebuilt');
  expect(await page.getByTestId('chat-core-version').innerText()).toBe('v1.0.0');
  expect(await page.evaluate(() => 'openedBeforeRebuild' in window)).toBe(true);
  expect(requests.some((url) => /\/remotes\/chat-core\/1\.0\.0-dev\.[0-9a-f]{8}\/remoteEntry\.js$/.test(url))).toBe(
    true,
  );
}, 90_000);
