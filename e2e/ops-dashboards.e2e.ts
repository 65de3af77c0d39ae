import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { ApiSession } from './support/api-session.js';
import { openTab } from './support/browser.js';
import { journey } from './support/journey.js';
import { admin } from './support/product.js';
import { signInThroughUi } from './support/sign-in.js';

const started = journey({}, { model: () => undefined });

/** Set ATRIUM_E2E_SHOTS to a directory to keep a picture of each chart (for the release notes). */
const shotsDir = process.env.ATRIUM_E2E_SHOTS;

async function sendInChat(page: Page, text: string) {
  const composer = page.getByTestId('composer');
  await composer.fill(text);
  await composer.press('Enter');
  await page.locator('[data-testid="message"][data-role="user"]').getByText(text).waitFor();
}

test('ops dashboards draw each chart from real data, with a table of the same numbers; a spent budget is told in chat', async () => {
  const { product, browser } = started;
  const session = await ApiSession.signIn(product.url, admin.email, admin.password);
  await session.request('POST', '/api/evals/runs', { name: 'nightly 1', passed: 90, total: 98 });
  await session.request('POST', '/api/evals/runs', { name: 'nightly 2', passed: 96, total: 98 });

  // One answer: its tokens and cost, a chat-core load report and API requests to chart.
  const { page } = await openTab(browser);
  await signInThroughUi(page, product.url, admin.email, admin.password, '/chat/new');
  await sendInChat(page, 'Where is my parcel?');
  await page.locator('[data-testid="message"][data-role="assistant"]').getByText('I can help with that.').waitFor();

  // Request latency is flushed to the shared rollup every 10 s: reload until it shows.
  await page.goto(`${product.url}/admin/dashboards`);
  await expect
    .poll(
      async () => {
        await page.reload();
        await page.getByTestId('dash-latency').locator('h3').waitFor();
        await page.waitForLoadState('networkidle');
        return page.getByTestId('dash-latency').locator('canvas').count();
      },
      { timeout: 40_000, interval: 2_000 },
    )
    .toBeGreaterThan(0);

  for (const panel of ['dash-remote-loads', 'dash-latency', 'dash-usage', 'dash-evals']) {
    const section = page.getByTestId(panel);
    await section.locator('canvas').first().waitFor();
    expect(await section.getByRole('img').getAttribute('aria-label')).toBeTruthy();
    const toggle = section.getByRole('button', { name: 'Show as table' });
    await toggle.click();
    expect(await section.getByRole('button', { name: 'Hide table' }).getAttribute('aria-expanded')).toBe('true');
    const table = section.locator('table').first();
    await table.waitFor();
    expect(await table.locator('caption').textContent()).toBe(await section.locator('h3').textContent());
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
    if (shotsDir) {
      mkdirSync(shotsDir, { recursive: true });
      await section.screenshot({ path: path.join(shotsDir, `${panel}.png`) });
    }
  }
  const usage = page.getByTestId('dash-usage');
  expect(await usage.locator('tbody').textContent()).toContain('admin@e2e.test');
  await usage.getByLabel('Per').selectOption('model');
  await usage.locator('canvas').first().waitFor();
  expect(await usage.locator('tbody').textContent()).toContain('gpt-4o-mini');
  const evals = page.getByTestId('dash-evals');
  expect(await evals.locator('tbody').textContent()).toContain('nightly 2');
  expect(await page.getByTestId('dash-remote-loads').locator('tbody').textContent()).toContain('chat-core');
  // No draft is pending: the approvals panel says so instead of an empty chart.
  await page.getByTestId('dash-approvals').getByText('No data in this range yet.').waitFor();
  if (shotsDir)
    await page.getByTestId('dash-approvals').screenshot({ path: path.join(shotsDir, 'dash-approvals.png') });

  const me = (await session.request('GET', '/api/me')) as { user: { id: string } };
  // A spent budget: the next message is refused and chat says why, in the reader's language.
  await session.request('PUT', `/api/users/${me.user.id}/budget`, { monthlyUsd: 0, reason: 'e2e: budget spent' });
  await page.goto(`${product.url}/chat/new`);
  await page.getByTestId('composer').fill('One more question');
  await page.getByTestId('composer').press('Enter');
  await page.getByText(/You have used this month’s budget of \$0\.00\. It renews on/).waitFor();
});
