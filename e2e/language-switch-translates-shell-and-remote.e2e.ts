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

  // Nothing half-translated: the role by its name, and people and Atrium itself worded in Chinese.
  expect(await page.getByTestId('whoami').innerText()).toBe(`当前用户 ${admin.email}（管理员）`);
  await page.goto(`${started.product.url}/admin/audit`);
  await page.getByTestId('audit-actor').first().waitFor();
  const actors = await page.getByTestId('audit-actor').allInnerTexts();
  expect(actors).toContain('Atrium（自动）');
  expect(actors.join('\n')).not.toMatch(/automatic|deploy token|former user/);
  await page.goto(`${started.product.url}/admin/users`);
  await page.getByTestId('user-row').first().waitFor();
  expect(await page.getByTestId('user-row').first().locator('td').first().innerText()).toMatch(/（你）$/);
});
