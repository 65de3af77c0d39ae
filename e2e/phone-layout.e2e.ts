import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { ApiSession } from './support/api-session.js';
import { openTab } from './support/browser.js';
import { journey } from './support/journey.js';
import { admin } from './support/product.js';
import { signInThroughUi } from './support/sign-in.js';

const started = journey();
const phone = { width: 390, height: 844 };

/** Each route, and what shows once its page (and its data) has rendered. */
const routes: [path: string, ready: string][] = [
  ['/login', '[data-testid="signed-in-notice"]'],
  ['/chat', '[data-testid="chat-home"]'],
  ['/account', '[data-testid="account-profile"]'],
  ['/uploads', '[data-testid="uploads-home"]'],
  ['/admin', '[data-testid="admin-overview"]'],
  ['/admin/users', '[data-testid="user-row"]'],
  ['/admin/plans', '[data-testid="plan-row"]'],
  ['/admin/releases', '[data-testid="release-row-chat-core"]'],
  ['/admin/releases/chat-core', '[data-testid^="version-row-"]'],
  ['/admin/releases/tokens', '[data-testid="token-row"]'],
  ['/admin/audit', '[data-testid="audit-row"]'],
  ['/admin/tools', '[data-testid="tool-issue_refund"]'],
  ['/admin/agents', '[data-testid="agent-billing"]'],
  ['/admin/flags', '[data-testid="flag-uploads"]'],
  ['/admin/approvals', '[data-testid="approval-queue"]'],
  ['/admin/dashboards', '[data-testid="dash-approvals"] h3'],
  ['/no-such-page', 'main h1'],
];

/** The page's width beyond the viewport, and the elements that stick out (to say what to fix). */
function overflowOf(page: Page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const sticksOut = (element: Element | null) => element !== null && element.getBoundingClientRect().right > width;
    // The outermost elements that stick out: their parents fit (or scroll them inside).
    const culprits = [...document.querySelectorAll('body *')]
      .filter((element) => sticksOut(element) && !sticksOut(element.parentElement))
      .slice(0, 5)
      .map(
        (element) =>
          `${element.tagName.toLowerCase()}.${element.className}: right edge at ${Math.round(element.getBoundingClientRect().right)} px`,
      );
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, culprits };
  });
}

test('at 390 × 844 every page fits the width, and a new chat can be written and sent', async () => {
  const { product, browser } = started;
  const session = await ApiSession.signIn(product.url, admin.email, admin.password);
  await session.request('POST', '/api/registry/tokens', {
    remote: 'chat-core',
    name: 'chat-core continuous integration',
  });
  // A name people may choose (the API allows 100 characters) with nowhere to break it.
  const me = (await session.request('GET', '/api/me')) as { user: { id: string } };
  await session.request('PATCH', `/api/users/${me.user.id}`, { displayName: `Administrator${'x'.repeat(87)}` });
  const { page } = await openTab(browser);
  await page.setViewportSize(phone);
  await signInThroughUi(page, product.url, admin.email, admin.password);

  const tooWide = [];
  for (const [path, ready] of routes) {
    await page.goto(`${product.url}${path}`);
    await page.locator(ready).first().waitFor();
    const overflow = await overflowOf(page);
    if (overflow.scrollWidth > overflow.innerWidth) tooWide.push({ path, ...overflow });
  }
  expect(tooWide).toEqual([]);

  // The admin overview is a card per section, each card a link to it.
  await page.goto(`${product.url}/admin`);
  const cards = page.locator('.admin-overview-card');
  await cards.first().waitFor();
  expect(await cards.getByRole('link').allTextContents()).toEqual([
    'Approvals',
    'Users',
    'Plans',
    'Releases',
    'Tools',
    'Agents',
    'Feature flags',
    'Audit log',
    'Dashboards',
  ]);

  await page.goto(`${product.url}/chat`);
  await page.getByTestId('new-chat').click();
  const composer = page.getByTestId('composer');
  await composer.waitFor({ state: 'visible' });
  expect(await composer.isVisible()).toBe(true);
  await composer.fill('Where is my parcel?');
  await composer.press('Enter');
  await page.locator('[data-testid="message"][data-role="user"]').getByText('Where is my parcel?').waitFor();
  await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
  await page.locator('[data-testid="message"][data-role="assistant"]').first().waitFor();
  const overflow = await overflowOf(page);
  expect(overflow.scrollWidth, JSON.stringify(overflow)).toBeLessThanOrEqual(overflow.innerWidth);

  // Back to the list: renaming keeps Save and Cancel inside the list, on a phone and beside a conversation.
  await page.getByRole('link', { name: 'All conversations' }).click();
  for (const width of [phone.width, 1280]) {
    await page.setViewportSize({ width, height: phone.height });
    await page
      .getByRole('button', { name: /^Rename “/ })
      .first()
      .click();
    const pane = await page.getByRole('navigation', { name: 'Conversations' }).boundingBox();
    for (const name of ['Save', 'Cancel']) {
      const button = await page.getByRole('button', { name, exact: true }).boundingBox();
      expect(button!.x + button!.width, `${name} at ${width} px`).toBeLessThanOrEqual(pane!.x + pane!.width);
    }
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  }
});

test('a pasted message over the limit is kept whole, counted and not sent', async () => {
  const { product, browser } = started;
  const { page } = await openTab(browser);
  await page.setViewportSize(phone);
  await signInThroughUi(page, product.url, admin.email, admin.password, '/chat/new');
  const composer = page.getByTestId('composer');
  await composer.fill('x'.repeat(19_000));
  expect(await page.getByTestId('composer-limit').textContent()).toBe('19,000 / 20,000 characters');
  await composer.fill('x'.repeat(20_005));
  expect(await composer.inputValue()).toHaveLength(20_005);
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('5 characters over the limit of 20,000');
  expect(await page.getByTestId('send').isDisabled()).toBe(true);
  await composer.press('Enter');
  expect(await page.locator('[data-testid="message"]').count()).toBe(0);
  expect(page.url()).toMatch(/\/chat\/new$/);
});
