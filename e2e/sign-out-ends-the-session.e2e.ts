import { expect, test } from 'vitest';
import { openTab } from './support/browser.js';
import { journey } from './support/journey.js';
import { admin } from './support/product.js';
import { signInThroughUi } from './support/sign-in.js';

const started = journey();

test('signing out revokes the session on the server, not just in the page', async () => {
  const { page, context } = await openTab(started.browser);
  await signInThroughUi(page, started.product.url, admin.email, admin.password);
  const [cookie] = (await context.cookies()).filter((c) => c.name.includes('atrium_session'));
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe('Lax');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login/);
  await expect(page.getByTestId('whoami').count()).resolves.toBe(0);

  // Replaying the old cookie must not work: the session is gone server-side.
  const replay = await fetch(`${started.product.url}/api/me`, {
    headers: { Cookie: `${cookie!.name}=${cookie!.value}` },
  });
  expect(replay.status).toBe(401);

  await page.goto(`${started.product.url}/chat`);
  await page.waitForURL(/\/login\?next=%2Fchat/);
});
