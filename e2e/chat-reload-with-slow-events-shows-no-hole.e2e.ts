import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ScriptedLlm, type ScriptStep, startScriptedLlm } from '../bff/src/testing/scripted-llm.js';
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

const tokens = 250;
const reloadAt = 20;
// Each word ends in a letter: the output guardrail holds back a trailing run of digits and spaces
// (a phone or card number may go on in the next delta), which would hide `w19 ` at the hold.
const word = (i: number) => `w${i}x`;

/** 250 tokens `w0x w1x …`: the first 20 at once, then a hold (the reload happens there), then the rest, paced. */
function answerScript(hold: string): { steps: ScriptStep[] } {
  const steps: ScriptStep[] = [];
  for (let i = 0; i < tokens; i++) {
    if (i === reloadAt) steps.push({ hold });
    steps.push({ text: `${word(i)} `, ...(i > reloadAt ? { delayMs: 12 } : {}) });
  }
  return { steps };
}

/**
 * Records the text of the newest answer after every change to the page, from the first paint of
 * each load: what a person could have seen at any moment.
 */
async function recordAnswerTexts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { answerTexts: string[] }).answerTexts = seen;
    const record = () => {
      const answers = document.querySelectorAll('[data-testid="message"][data-role="assistant"] .chat-message-body');
      const text = answers[answers.length - 1]?.textContent ?? '';
      if (text !== seen[seen.length - 1]) seen.push(text);
    };
    new MutationObserver(record).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

/** The indices of the words a text shows, or null when it is not made of answer words. */
function wordIndices(text: string): number[] | null {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const indices = words.map((w) => (/^w\d+x$/.test(w) ? Number(w.slice(1, -1)) : Number.NaN));
  return indices.some(Number.isNaN) ? null : indices;
}

const lastAnswer = (page: Page) => page.locator('[data-testid="message"][data-role="assistant"]').last();

test.each([400, 1500])(
  'a reload mid-answer while /api/events takes %i ms to open shows only a contiguous prefix of the answer',
  async (delayMs) => {
    const { page, consoleErrors } = await openTab(browser);
    await recordAnswerTexts(page);
    await signInThroughUi(page, product.url, admin.email, admin.password, '/chat');
    await page.getByText('Start a new conversation').first().waitFor();

    const hold = `reload-${delayMs}`;
    llm.enqueue(answerScript(hold));
    const composer = page.getByLabel('Message', { exact: true });
    await composer.fill(`Count to ${tokens}, please.`);
    await composer.press('Enter');
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await llm.reached(hold);
    await lastAnswer(page)
      .getByText(word(reloadAt - 1), { exact: false })
      .waitFor();

    // The reloaded page's event stream opens `delayMs` after the page read the chat, while the answer goes on.
    const read = page.waitForResponse((response) => /\/api\/chats\/[^/]+\/messages/.test(response.url()));
    await page.route('**/api/events*', async (route) => {
      await read;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await route.continue();
    });
    await page.reload();
    await lastAnswer(page)
      .getByText(word(reloadAt - 1), { exact: false })
      .waitFor();
    llm.release(hold);

    await expect.poll(() => lastAnswer(page).getAttribute('data-status'), { timeout: 30_000 }).toBe('complete');
    const all = Array.from({ length: tokens }, (_, i) => word(i));
    expect(wordIndices((await lastAnswer(page).locator('.chat-message-body').textContent()) ?? '')).toEqual(
      all.map((_, i) => i),
    );

    const texts = await page.evaluate(() => (window as unknown as { answerTexts: string[] }).answerTexts);
    const shown = texts.map(wordIndices).filter((indices): indices is number[] => indices !== null);
    // The text was seen growing on the reloaded page, not only complete.
    expect(shown.some((indices) => indices.length > reloadAt && indices.length < tokens)).toBe(true);
    for (const indices of shown) expect(indices).toEqual(indices.map((_, i) => i));
    await page.unroute('**/api/events*');
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  },
);
