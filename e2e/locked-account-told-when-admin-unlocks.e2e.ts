import { beforeAll, expect, test } from 'vitest';
import { ApiSession } from './support/api-session.js';
import { openTab } from './support/browser.js';
import { journey } from './support/journey.js';
import { admin } from './support/product.js';
import { signInThroughUi } from './support/sign-in.js';

// Three failures lock an account here, so one browser can reach the lock.
const started = journey({ ATRIUM_SIGN_IN_ACCOUNT_FAILURES: '3' });
const person = { email: 'forgetful@e2e.test', password: 'a long enough password' };

beforeAll(async () => {
  const adminSession = await ApiSession.signIn(started.product.url, admin.email, admin.password);
  await adminSession.createUser(person.email, person.password, 'user');
});

test('a person locked out by failed sign-ins is told when to try again, and an admin unlocks them', async () => {
  const { page } = await openTab(started.browser);
  await page.goto(`${started.product.url}/login?next=%2Fchat`);
  const attempt = async (password: string) => {
    await page.getByLabel(/email/i).fill(person.email);
    await page.getByLabel(/^password/i).fill(password);
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/auth/sign-in'));
    await page.getByLabel(/^password/i).press('Enter');
    return (await answered).status();
  };
  for (let n = 0; n < 3; n++) expect(await attempt('not my password')).toBe(401);

  expect(await attempt(person.password)).toBe(429);
  await expect(page.getByRole('alert').textContent()).resolves.toMatch(
    /This account is locked after too many failed sign-ins\. Try again in 15 minutes \(at \d{1,2}:\d\d\s?[AP]M\), or ask an administrator to unlock it\./,
  );

  const adminTab = await openTab(started.browser);
  await signInThroughUi(adminTab.page, started.product.url, admin.email, admin.password, '/admin/users');
  const row = adminTab.page.locator(`[data-testid="user-row"][data-email="${person.email}"]`);
  await expect(row.textContent()).resolves.toMatch(/Locked until .+ after failed sign-ins/);
  await row.getByRole('button', { name: `Unlock sign-in for ${person.email}` }).click();
  // Every account action asks why (audited).
  const dialog = adminTab.page.getByTestId('user-action-dialog');
  await dialog.getByLabel('Reason').fill('called the helpdesk');
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await adminTab.page.getByText(`${person.email} can sign in again.`).waitFor();
  await row.getByText('Allowed').waitFor();

  expect(await attempt(person.password)).toBe(200);
  await page.getByTestId('whoami').waitFor();
});
