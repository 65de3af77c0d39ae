import { meResponseSchema, releaseHistoryResponseSchema } from '@atrium/contracts';
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
const ops = { email: 'ops@e2e.test', password: 'a long enough password' };

beforeAll(async () => {
  [product, browser] = await Promise.all([startProduct(), launchBrowser()]);
  adminSession = await ApiSession.signIn(product.url, admin.email, admin.password);
  await adminSession.createUser(ops.email, ops.password, 'ops');
});
afterAll(async () => {
  await browser?.close();
  await product?.stop();
});

test('ops promotes a new chat-core in admin, rolls it back with a reason and a confirmation, and the history says who and why', async () => {
  const tab = await openTab(browser);
  const { page } = tab;
  await signInThroughUi(page, product.url, ops.email, ops.password, '/admin/releases');

  const card = page.getByTestId('release-row-chat-core');
  await expect(card.getByTestId('release-stable').textContent()).resolves.toBe('1.0.0');
  expect(await page.getByRole('link', { name: 'Deploy tokens' }).count()).toBe(0);

  // Arrangement: a team publishes 1.0.1 with its deploy token, as the CLI would.
  const published = await publishLocalBuild(product.url, adminSession, 'chat-core', '1.0.1');
  expect(published.status).toBe('published');

  await card.getByRole('link', { name: /chat-core/ }).click();
  const newer = page.getByTestId('version-row-1.0.1');
  await newer.getByRole('button', { name: 'Promote' }).click();
  const promoteDialog = page.getByRole('dialog');
  await expect(promoteDialog.getByTestId('action-summary').textContent()).resolves.toBe(
    'chat-core: stable 1.0.0 → 1.0.1',
  );
  await promoteDialog.getByLabel('Reason').fill('ship the citation fix');
  await promoteDialog.getByRole('button', { name: 'Confirm promote' }).click();
  await page.getByRole('status').filter({ hasText: 'chat-core 1.0.1 is now stable.' }).waitFor();
  await page.locator('[data-testid="version-row-1.0.1"][data-marks="stable"]').waitFor();

  // A rollback needs a reason and names exactly what will happen before it does anything.
  await page.getByRole('button', { name: 'Rollback' }).click();
  const rollbackDialog = page.getByRole('dialog');
  await expect(rollbackDialog.getByTestId('action-summary').textContent()).resolves.toBe(
    'chat-core: stable 1.0.1 → 1.0.0',
  );
  await rollbackDialog.getByLabel('Reason').fill('no');
  await rollbackDialog.getByRole('button', { name: 'Confirm rollback' }).click();
  await rollbackDialog.getByText('Say why, in at least 3 characters.').waitFor();
  await page.keyboard.press('Escape');
  await rollbackDialog.waitFor({ state: 'hidden' });
  await expect(page.getByTestId('release-stable').textContent()).resolves.toBe('1.0.1');

  await page.getByRole('button', { name: 'Rollback' }).click();
  await rollbackDialog.getByLabel('Reason').fill('error rate doubled after 1.0.1');
  await rollbackDialog.getByRole('button', { name: 'Confirm rollback' }).click();
  await page.getByRole('status').filter({ hasText: 'chat-core rolled back to 1.0.0.' }).waitFor();
  await page.locator('[data-testid="version-row-1.0.0"][data-marks="stable"]').waitFor();

  const history = page.getByTestId('release-history').locator('li');
  await history.filter({ hasText: 'error rate doubled' }).waitFor();
  const [rolledBack, promoted] = [history.nth(0), history.nth(1)];
  await expect(rolledBack.getAttribute('data-action')).resolves.toBe('rollback');
  await expect(rolledBack.getAttribute('data-automatic')).resolves.toBe('false');
  await expect(rolledBack.getByTestId('history-actor').textContent()).resolves.toContain('ops');
  await expect(rolledBack.getByTestId('history-reason').textContent()).resolves.toContain(
    'error rate doubled after 1.0.1',
  );
  await expect(promoted.getAttribute('data-action')).resolves.toBe('promote');
  await expect(promoted.getByTestId('history-reason').textContent()).resolves.toContain('ship the citation fix');

  // The registry's trail (written with the audit entry, in one transaction) names the person.
  const opsSession = await ApiSession.signIn(product.url, ops.email, ops.password);
  const me = meResponseSchema.parse(await opsSession.request('GET', '/api/me'));
  const { entries } = releaseHistoryResponseSchema.parse(
    await opsSession.request('GET', '/api/registry/remotes/chat-core/history'),
  );
  expect(entries.slice(0, 2)).toMatchObject([
    {
      action: 'rollback',
      actor: { kind: 'user', id: me.user.id },
      version: '1.0.0',
      reason: 'error rate doubled after 1.0.1',
      from: { stable: '1.0.1' },
      to: { stable: '1.0.0', canary: null },
    },
    { action: 'promote', actor: { kind: 'user', id: me.user.id }, version: '1.0.1', reason: 'ship the citation fix' },
  ]);

  // A change made elsewhere (the CLI, another admin) shows up without a reload.
  await adminSession.request('PUT', '/api/registry/remotes/chat-core/canary', {
    version: '1.0.1',
    percent: 10,
    reason: 'retry the fix on a few users',
  });
  await page.locator('[data-testid="version-row-1.0.1"][data-marks="canary"]').waitFor();
  await history.filter({ hasText: 'retry the fix on a few users' }).waitFor();

  // The audit trail of chat-core: the rollback with the person who did it and why.
  await page.getByRole('link', { name: 'Audit trail' }).click();
  await page.getByTestId('admin-audit').waitFor();
  expect(new URL(page.url()).searchParams.get('target')).toBe('remote:chat-core');
  await expect(page.getByLabel('Target').inputValue()).resolves.toBe('remote:chat-core');
  const rows = page.getByTestId('audit-row');
  const rollbackRow = rows.filter({ hasText: 'error rate doubled after 1.0.1' });
  await rollbackRow.waitFor();
  await expect(rollbackRow.getAttribute('data-action')).resolves.toBe('registry.rollback');
  await expect(rollbackRow.getByTestId('audit-actor').textContent()).resolves.toBe('ops <ops@e2e.test>');
  await expect(rows.first().getAttribute('data-action')).resolves.toBe('registry.canary');

  await page.getByLabel('Action').selectOption('registry.rollback');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await rows.and(page.locator('[data-action="registry.canary"]')).first().waitFor({ state: 'detached' });
  await rollbackRow.waitFor();
  expect(new URL(page.url()).searchParams.get('action')).toBe('registry.rollback');
  await expect(rows.count()).resolves.toBe(1);
  await expect(rows.first().getByTestId('audit-detail').textContent()).resolves.toContain(
    'error rate doubled after 1.0.1',
  );
  expect(tab.consoleErrors).toEqual([]);
});
