import { beforeAll, expect, test } from 'vitest';
import { ApiSession } from './support/api-session.js';
import { openTab } from './support/browser.js';
import { journey } from './support/journey.js';
import { admin } from './support/product.js';
import { signInThroughUi } from './support/sign-in.js';

const started = journey();
const person = { email: 'reset-me@e2e.test', password: 'my forgotten long password' };

beforeAll(async () => {
  const adminSession = await ApiSession.signIn(started.product.url, admin.email, admin.password);
  await adminSession.createUser(person.email, person.password, 'user');
});

test('an admin resets a password: the open tab is signed out, and the temporary password leads to the change first', async () => {
  const personTab = await openTab(started.browser);
  await signInThroughUi(personTab.page, started.product.url, person.email, person.password);

  const adminTab = await openTab(started.browser);
  await signInThroughUi(adminTab.page, started.product.url, admin.email, admin.password, '/admin/users');
  const row = adminTab.page.locator(`[data-testid="user-row"][data-email="${person.email}"]`);
  await row.getByRole('button', { name: `Reset the password of ${person.email}` }).click();
  const dialog = adminTab.page.getByTestId('user-action-dialog');
  await dialog.getByLabel('Reason').fill('lost it, ticket 42');
  await dialog.getByRole('button', { name: 'Reset password' }).click();
  await dialog.getByText('This password is shown only once.').waitFor();
  const temporary = await dialog.getByTestId('temporary-password-value').inputValue();
  expect(temporary.replaceAll('-', '')).toHaveLength(20);
  // Shown once: Esc does not close it by accident; only Done does.
  await adminTab.page.keyboard.press('Escape');
  expect(await dialog.getByTestId('temporary-password-value').inputValue()).toBe(temporary);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await row.getByText('Must change password').waitFor();

  // The person's open tab hears session.ended and goes to the sign-in page by itself.
  await personTab.page.waitForURL(/\/login/);
  await expect(personTab.page.getByTestId('whoami').count()).resolves.toBe(0);

  // The temporary password signs in, but only the password change is open.
  await signInThroughUi(personTab.page, started.product.url, person.email, temporary);
  await personTab.page.waitForURL(/\/account$/);
  await personTab.page.getByTestId('must-change-password').waitFor();
  await personTab.page.goto(`${started.product.url}/chat`);
  await personTab.page.waitForURL(/\/account$/);
  const newPassword = 'a password only I know now';
  await personTab.page.getByLabel('Current password').fill(temporary);
  await personTab.page.getByLabel('New password', { exact: true }).fill(newPassword);
  await personTab.page.getByLabel('Confirm new password').fill(newPassword);
  await personTab.page.getByRole('button', { name: 'Change password' }).click();
  // Once changed, the whole account page and the rest of the product are there again.
  await personTab.page.getByTestId('must-change-password').waitFor({ state: 'detached' });
  await personTab.page.goto(`${started.product.url}/chat`);
  await personTab.page.waitForURL(/\/chat/);
  await personTab.page.getByTestId('whoami').waitFor();
});
