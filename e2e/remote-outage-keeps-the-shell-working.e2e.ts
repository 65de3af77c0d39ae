import { expect, test } from 'vitest';
import { openTab } from './support/browser.js';
import { journey } from './support/journey.js';
import { admin } from './support/product.js';
import { signInThroughUi } from './support/sign-in.js';

const started = journey();

test('a remote whose entry answers 500 shows its fallback while the rest of the shell keeps working', async () => {
  const tab = await openTab(started.browser);
  const { page } = tab;
  await signInThroughUi(page, started.product.url, admin.email, admin.password, '/account');

  let entryHits = 0;
  await page.route('**/remotes/upload-ui/**/remoteEntry.js', (route) => {
    entryHits += 1;
    return route.fulfill({ status: 500, body: 'upstream exploded' });
  });

  const reports: string[] = [];
  // Beacons' bodies are only visible to a route handler, which then lets them through.
  await page.route('**/api/telemetry', async (route) => {
    reports.push(route.request().postData() ?? '');
    await route.continue();
  });

  await page.getByRole('link', { name: 'Documents' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'upload-ui is unavailable right now' });
  await alert.waitFor();
  expect(entryHits).toBeGreaterThan(0);

  // The shell and the other remotes still work.
  await page.getByRole('link', { name: 'Chat' }).click();
  await page.locator('[data-remote="chat-core"]').waitFor();
  await page.getByRole('link', { name: 'Admin' }).click();
  await page.locator('[data-remote="admin"]').waitFor();

  // Once the remote recovers, Retry really retries.
  await page.unroute('**/remotes/upload-ui/**/remoteEntry.js');
  await page.getByRole('link', { name: 'Documents' }).click();
  await page.locator('[data-remote="upload-ui"]').or(alert).first().waitFor();
  if (await alert.isVisible()) await alert.getByRole('button', { name: 'Retry' }).click();
  await page.locator('[data-remote="upload-ui"]').waitFor();

  // The failed load and the recovery were both reported to the BFF.
  await expect.poll(() => reports.join('\n'), { timeout: 5000 }).toMatch(/"remote":"upload-ui"[^}]*"outcome":"error"/);
  await expect.poll(() => reports.join('\n'), { timeout: 5000 }).toMatch(/"remote":"upload-ui"[^}]*"outcome":"ok"/);
});
