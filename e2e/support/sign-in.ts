import type { Page } from 'playwright-core';

/** Signs in through auth-ui as a person would, and waits for the shell to show who it is. */
export async function signInThroughUi(page: Page, baseUrl: string, email: string, password: string, next = '/chat') {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/^password/i).fill(password);
  await page.getByLabel(/^password/i).press('Enter');
  await page.getByTestId('whoami').waitFor();
}
