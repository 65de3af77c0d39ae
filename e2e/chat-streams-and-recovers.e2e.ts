import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ScriptedLlm, startScriptedLlm } from '../bff/src/testing/scripted-llm.js';
import { launchBrowser, openTab } from './support/browser.js';
import { admin, type Product, startProduct } from './support/product.js';
import { signInThroughUi } from './support/sign-in.js';

let llm: ScriptedLlm;
let product: Product;
let browser: Browser;

beforeAll(async () => {
  llm = await startScriptedLlm();
  [product, browser] = await Promise.all([
    startProduct({ OPENAI_BASE_URL: llm.url, OPENAI_API_KEY: 'scripted', ATRIUM_MODEL_SMALL: 'scripted-small' }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await product?.stop();
  await llm?.close();
});

const lastAnswer = (page: Page) => page.locator('[data-testid="message"][data-role="assistant"]').last();
const textOf = async (locator: Locator) => (await locator.textContent()) ?? '';

test('an answer streams, survives a reload, shows in a second tab, and can be stopped', async () => {
  const { page, consoleErrors } = await openTab(browser);
  await signInThroughUi(page, product.url, admin.email, admin.password, '/chat');
  await page.getByText('Start a new conversation').first().waitFor();
  await expect.poll(() => textOf(page.getByTestId('agent-badge'))).toBe('scripted-small');

  // The answer's first part arrives, then the model holds until released.
  llm.enqueue({
    steps: [
      { text: 'Refunds take **five** days.' },
      { hold: 'second-part' },
      { text: '\n\n```sh\nrefund --order 7\n```' },
    ],
  });
  const composer = page.getByLabel('Message', { exact: true });
  await composer.fill('How long do refunds take?');
  await composer.press('Enter');

  // The question shows at once, the URL names the new chat, and the list has it.
  await page.locator('[data-testid="message"][data-role="user"]').getByText('How long do refunds take?').waitFor();
  await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
  const chatUrl = page.url();
  // The new chat is listed under its title (its preview may show the same words until the answer lands).
  const chatItem = page.locator(`[data-testid="chat-item"][data-chat-id="${chatUrl.split('/').pop()}"]`);
  await chatItem.locator('.chat-item-title', { hasText: 'How long do refunds take?' }).waitFor();

  await lastAnswer(page).locator('strong', { hasText: 'five' }).waitFor();
  expect(await lastAnswer(page).getAttribute('data-status')).toBe('streaming');
  expect(await page.getByRole('button', { name: 'Stop' }).isVisible()).toBe(true);

  // A second tab of the same user opens the chat while the answer is still being written.
  const second = await page.context().newPage();
  await second.goto(chatUrl);
  await lastAnswer(second).getByText('Refunds take').waitFor();

  // Reload mid-answer: the text so far is back, and the rest streams in.
  await page.reload();
  await lastAnswer(page).getByText('Refunds take').waitFor();
  await llm.reached('second-part');
  llm.release('second-part');
  for (const tab of [page, second]) {
    await lastAnswer(tab).getByTestId('code-block').getByText('refund --order 7').waitFor();
    await expect.poll(() => lastAnswer(tab).getAttribute('data-status')).toBe('complete');
    expect(await textOf(lastAnswer(tab))).toContain('Refunds take five days.');
    expect((await textOf(lastAnswer(tab))).match(/Refunds take/g)).toHaveLength(1);
  }
  expect(await page.locator('[data-testid="message"][data-role="user"]').count()).toBe(1);
  await page.getByRole('button', { name: 'Regenerate' }).waitFor();

  // The next answer is stopped half-way with Esc; both tabs label it.
  // Ends with a space, as a model's next token would: the output guardrail holds back an unfinished
  // last word (it could still become an email address or a key) until the stream goes on or ends.
  llm.enqueue({ steps: [{ text: 'Let me check ' }, { hold: 'never' }] });
  await composer.fill('And for gift cards?');
  await composer.press('Enter');
  await lastAnswer(page).getByText('Let me check').waitFor();
  await composer.press('Escape');
  for (const tab of [page, second]) {
    await expect.poll(() => lastAnswer(tab).getAttribute('data-status')).toBe('stopped');
    await lastAnswer(tab).getByTestId('stopped-label').waitFor();
    expect(await textOf(lastAnswer(tab))).toContain('Let me check');
  }
  expect(await page.getByTestId('reconnecting-hint').count()).toBe(0);
  expect(consoleErrors).toEqual([]);
});
