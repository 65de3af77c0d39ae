import { expect, test } from 'vitest';
import { openTab } from './support/browser.js';
import { journey } from './support/journey.js';
import { admin } from './support/product.js';
import { signInThroughUi } from './support/sign-in.js';

const started = journey();

test('switching to Chinese translates the shell and the mounted remote, and sticks across reloads', async () => {
  const { page } = await openTab(started.browser);
  await signInThroughUi(page, started.product.url, admin.email, admin.password, '/chat');
  await page.getByTestId('chat-home').waitFor();
  expect(await page.getByRole('navigation', { name: 'main' }).innerText()).toContain('Chat');

  await page.getByLabel('Language').selectOption('zh-CN');
  await expect.poll(() => page.getByRole('navigation', { name: 'main' }).innerText()).toContain('对话');
  await expect.poll(() => page.getByTestId('chat-home').innerText()).toContain('对话');
  expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');

  await page.reload();
  await page.getByTestId('chat-home').waitFor();
  expect(await page.getByRole('button', { name: '退出登录' }).count()).toBe(1);
});
