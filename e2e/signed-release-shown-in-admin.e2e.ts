import { generateKeyPairSync } from 'node:crypto';
import { signingKeyResponseSchema } from '@atrium/contracts';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ApiSession } from './support/api-session.js';
import { launchBrowser, openTab } from './support/browser.js';
import { admin, type Product, startProduct } from './support/product.js';
import { publishLocalBuild } from './support/publish-remote.js';
import { signInThroughUi } from './support/sign-in.js';

let product: Product;
let browser: Browser;
let adminSession: ApiSession;

beforeAll(async () => {
  [product, browser] = await Promise.all([startProduct(), launchBrowser()]);
  adminSession = await ApiSession.signIn(product.url, admin.email, admin.password);
});
afterAll(async () => {
  await browser?.close();
  await product?.stop();
});

test('the releases page says which versions are signed, by whom, and warns once the key is revoked', async () => {
  // A team's key, registered by an admin; CI signs 1.0.1 with it. The seeded local build stays unsigned.
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const { key } = signingKeyResponseSchema.parse(
    await adminSession.request('POST', '/api/registry/remotes/chat-core/signing-keys', {
      name: 'chat-core CI',
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    }),
  );
  const published = await publishLocalBuild(product.url, adminSession, 'chat-core', '1.0.1', 'chat-core@1', privateKey);
  expect(published.signature).toMatchObject({ keyId: key.keyId, signer: 'chat-core CI' });

  const { page } = await openTab(browser);
  await signInThroughUi(page, product.url, admin.email, admin.password, '/admin/releases');
  await page
    .getByTestId('release-row-chat-core')
    .getByRole('link', { name: /chat-core/ })
    .click();

  const signedRow = page.getByTestId('version-row-1.0.1');
  await signedRow.getByTestId('signature-signed').waitFor();
  await expect(signedRow.textContent()).resolves.toContain('by chat-core CI');
  await page.getByTestId('version-row-1.0.0').getByTestId('signature-unsigned').waitFor();

  await adminSession.request('POST', `/api/registry/remotes/chat-core/signing-keys/${key.keyId}/revoke`, {
    reason: 'CI secret leaked',
  });
  await page.reload();
  const revoked = page.getByTestId('version-row-1.0.1').getByTestId('signature-revoked');
  await revoked.waitFor();
  await expect(revoked.textContent()).resolves.toBe('Signed by a revoked key');
});
