import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, openTab, remoteRequests } from './support/browser.js';
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

test('admin signs in and each remote is downloaded only when its route is first visited', async () => {
  const tab = await openTab(browser);
  const { page } = tab;

  await signInThroughUi(page, product.url, admin.email, admin.password, '/chat');
  expect(remoteRequests(tab, 'auth-ui').length).toBeGreaterThan(0);

  await page.locator('[data-remote="chat-core"]').waitFor();
  expect(remoteRequests(tab, 'chat-core').length).toBeGreaterThan(0);
  expect(remoteRequests(tab, 'upload-ui')).toEqual([]);
  expect(remoteRequests(tab, 'admin')).toEqual([]);

  await page.getByRole('link', { name: 'Documents' }).click();
  await page.locator('[data-remote="upload-ui"]').waitFor();
  expect(remoteRequests(tab, 'upload-ui').length).toBeGreaterThan(0);
  expect(remoteRequests(tab, 'admin')).toEqual([]);

  await page.getByRole('link', { name: 'Admin' }).click();
  await page.locator('[data-remote="admin"]').waitFor();
  expect(remoteRequests(tab, 'admin').length).toBeGreaterThan(0);

  // Every remote entry and chunk came from its versioned path, each file at most once.
  const remoteFiles = tab.requests.filter((url) => url.includes('/remotes/'));
  expect(new Set(remoteFiles).size).toBe(remoteFiles.length);
  expect(tab.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
});

test('React is downloaded exactly once across the shell and every remote', async () => {
  const tab = await openTab(browser);
  const scripts: { url: string; body: string }[] = [];
  tab.page.on('response', async (response) => {
    if (response.request().resourceType() === 'script') {
      scripts.push({ url: response.url(), body: await response.text().catch(() => '') });
    }
  });
  await signInThroughUi(tab.page, product.url, admin.email, admin.password, '/chat');
  for (const [link, remote] of [['Documents', 'upload-ui'], ['Admin', 'admin'], ['Chat', 'chat-core']] as const) {
    await tab.page.getByRole('link', { name: link }).click();
    await tab.page.locator(`[data-remote="${remote}"]`).waitFor();
  }
  // React's production build defines this error URL once; two copies would mean two Reacts.
  const withReact = scripts.filter((s) => s.body.includes('react.dev/errors/'));
  const reactCore = withReact.filter((s) => s.body.includes('useSyncExternalStore') && !s.body.includes('createRoot'));
  expect(reactCore.map((s) => s.url)).toHaveLength(1);
  expect(reactCore[0]!.url).toContain('/shell/');
});
