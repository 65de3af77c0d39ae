import type { Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { ApiSession } from './support/api-session.js';
import { openTab } from './support/browser.js';
import { journey } from './support/journey.js';
import { admin } from './support/product.js';
import { signInThroughUi } from './support/sign-in.js';

const started = journey();
const person = { email: 'uploader@e2e.test', password: 'a long enough password' };

beforeAll(async () => {
  const adminSession = await ApiSession.signIn(started.product.url, admin.email, admin.password);
  await adminSession.createUser(person.email, person.password, 'user');
});

/** Uploads a small new file from the page, with its own session and CSRF token: the status and error code. */
const tryUpload = (page: Page) =>
  page.evaluate(async () => {
    const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
    const response = await fetch(`/api/documents?filename=${encodeURIComponent(`note-${Date.now()}.txt`)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': me.csrfToken },
      body: `A note written at ${new Date().toISOString()}.`,
    });
    const body = (await response.json()) as { code?: string };
    return { status: response.status, code: body.code ?? null };
  });

/** An admin flips `uploads` on the Feature flags page, giving a reason in the dialog. */
async function flipUploads(page: Page, action: 'Turn off' | 'Turn on', reason: string) {
  await page.getByRole('button', { name: `${action} uploads` }).click();
  const dialog = page.getByTestId('flag-dialog');
  await dialog.getByLabel(/^Reason/).fill(reason);
  await dialog.getByRole('button', { name: action, exact: true }).click();
  await page.getByText(`uploads is now ${action === 'Turn off' ? 'Off' : 'On'}.`).waitFor();
}

test('an admin turns uploads off with a reason: an open tab loses the Documents entry and upload without a reload, and the API refuses; on again restores both', async () => {
  const { product, browser } = started;
  const user = await openTab(browser);
  await signInThroughUi(user.page, product.url, person.email, person.password, '/uploads');
  const nav = user.page.getByRole('navigation', { name: 'main' });
  await nav.getByRole('link', { name: 'Documents' }).waitFor();
  await user.page.getByTestId('upload-drop-zone').waitFor();
  expect(await tryUpload(user.page)).toEqual({ status: 201, code: null });
  // Survives only as long as the page is not reloaded.
  await user.page.evaluate(() => {
    (window as { sameDocument?: boolean }).sameDocument = true;
  });

  const adminTab = await openTab(browser);
  await signInThroughUi(adminTab.page, product.url, admin.email, admin.password, '/admin/flags');
  const row = adminTab.page.getByTestId('flag-uploads');
  await row.getByTestId('flag-state').getByText('On', { exact: true }).waitFor();

  // A reason is required: an empty one is refused in the dialog, nothing is sent.
  await adminTab.page.getByRole('button', { name: 'Turn off uploads' }).click();
  const dialog = adminTab.page.getByTestId('flag-dialog');
  await dialog.getByRole('button', { name: 'Turn off', exact: true }).click();
  await dialog.getByText('Say why, in at least 3 characters.').waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await flipUploads(adminTab.page, 'Turn off', 'storage migration tonight');
  await row.getByTestId('flag-state').getByText('Off', { exact: true }).waitFor();

  await nav.getByRole('link', { name: 'Documents' }).waitFor({ state: 'detached' });
  await user.page.getByTestId('uploads-off').waitFor();
  expect(await user.page.getByTestId('upload-drop-zone').count()).toBe(0);
  expect(await tryUpload(user.page)).toEqual({ status: 403, code: 'flag.off' });

  await flipUploads(adminTab.page, 'Turn on', 'migration done');
  await nav.getByRole('link', { name: 'Documents' }).waitFor();
  await user.page.getByTestId('upload-drop-zone').waitFor();
  expect(await tryUpload(user.page)).toEqual({ status: 201, code: null });
  expect(await user.page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(true);

  // The audit log has both changes with their reasons.
  const session = await ApiSession.signIn(product.url, admin.email, admin.password);
  const audit = (await session.request('GET', '/api/audit?action=flag.toggled')) as {
    entries: { target: string; detail: { reason: string } }[];
  };
  expect(audit.entries.map((entry) => [entry.target, entry.detail.reason])).toEqual([
    ['flag:uploads', 'migration done'],
    ['flag:uploads', 'storage migration tonight'],
  ]);
});
