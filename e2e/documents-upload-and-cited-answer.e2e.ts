import type { Locator, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { makePdf } from '../bff/src/testing/document-fixtures.js';
import { ApiSession } from './support/api-session.js';
import { openTab } from './support/browser.js';
import { journey } from './support/journey.js';
import { admin } from './support/product.js';
import { signInThroughUi } from './support/sign-in.js';

// No model is configured, so answers are retrieval-only: they quote and cite the best passages.
const started = journey();

const password = 'a long enough passphrase';
const owner = { email: 'owner@e2e.test', password };
const stranger = { email: 'stranger@e2e.test', password };

/** Only page 2 of the PDF holds the fact; the Markdown file is about something else. */
const fact = 'The Orbit-9 router resets after holding the pin for 12 seconds.';
const question = 'Which pin resets the Orbit-9 router?';
const pdfTitle = 'Orbit-9 router guide';
const markdownTitle = 'Invoice export';

const lastAnswer = (page: Page) => page.locator('[data-testid="message"][data-role="assistant"]').last();
const textOf = async (locator: Locator) => (await locator.textContent()) ?? '';
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Waits until the document named `title` on the Documents page says it is ready. */
async function readyOnPage(page: Page, title: string) {
  const status = page.getByRole('article', { name: title }).getByRole('status');
  await status.and(page.locator('[data-status="ready"]')).waitFor();
  expect(await status.textContent()).toContain('Ready');
}

/** Asks `text` in a new chat and waits for the whole answer. */
async function ask(page: Page, baseUrl: string, text: string): Promise<Locator> {
  await page.goto(`${baseUrl}/chat/new`);
  const composer = page.getByLabel('Message', { exact: true });
  await composer.fill(text);
  await composer.press('Enter');
  await page.locator('[data-testid="message"][data-role="user"]').getByText(text).waitFor();
  await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
  await lastAnswer(page).and(page.locator('[data-status="complete"]')).waitFor();
  return lastAnswer(page);
}

test('a user uploads a Markdown file and a PDF, gets an answer citing the PDF, and another user sees no trace of it', async () => {
  const { product, browser } = started;
  const session = await ApiSession.signIn(product.url, admin.email, admin.password);
  await session.createUser(owner.email, owner.password, 'user');
  await session.createUser(stranger.email, stranger.password, 'user');

  const pdf = await makePdf([
    { heading: 'Getting started', lines: ['Place the device on a flat shelf near a power socket.'] },
    { heading: 'Troubleshooting', lines: [fact, '', 'The lights blink blue while it starts again.'] },
  ]);
  const markdown = '# Exporting invoices\n\nOpen Billing, choose a month and press Export to download a CSV file.\n';

  // The owner uploads both files through the picker and watches them become ready, without a reload.
  const { page, consoleErrors } = await openTab(browser);
  await signInThroughUi(page, product.url, owner.email, owner.password, '/uploads');
  await page.getByText('No documents yet').waitFor();
  await page.getByLabel('Choose files').setInputFiles([
    { name: `${markdownTitle}.md`, mimeType: 'text/markdown', buffer: Buffer.from(markdown) },
    { name: `${pdfTitle}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(pdf) },
  ]);
  for (const title of [markdownTitle, pdfTitle]) await readyOnPage(page, title);
  expect(await page.getByRole('article', { name: pdfTitle }).textContent()).toContain('2 pages');

  // A second tab of the owner shows both ready, and still does after a reload.
  const second = await page.context().newPage();
  await second.goto(`${product.url}/uploads`);
  for (const title of [markdownTitle, pdfTitle]) await readyOnPage(second, title);
  await second.reload();
  for (const title of [markdownTitle, pdfTitle]) await readyOnPage(second, title);
  await second.close();

  // The owner's question is answered from the PDF, with a chip and a source naming it.
  const answer = await ask(page, product.url, question);
  expect(await textOf(answer)).toContain('12 seconds');
  const chip = answer.getByRole('button', { name: new RegExp(`^Source \\d+: ${escaped(pdfTitle)}$`) }).first();
  await chip.waitFor();
  expect(await answer.getByTestId('sources').textContent()).toContain(pdfTitle);
  expect(await answer.getByTestId('sources').textContent()).toContain('page 2');

  // Opening the citation shows the passage in its document, on page 2.
  await chip.click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('source-highlight').getByText('holding the pin for 12 seconds').waitFor();
  const shown = await textOf(dialog);
  expect(shown).toContain(pdfTitle);
  expect(shown).toContain('page 2');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'hidden' });
  expect(consoleErrors).toEqual([]);

  // Another user asks the same: nothing of the owner's private PDF shows, and the answer says so.
  const other = await openTab(browser);
  await signInThroughUi(other.page, product.url, stranger.email, stranger.password, '/chat');
  const theirs = await ask(other.page, product.url, question);
  const theirText = await textOf(theirs);
  expect(theirText).toContain('found nothing relevant');
  for (const trace of [pdfTitle, markdownTitle, '12 seconds', 'holding the pin']) {
    expect(theirText).not.toContain(trace);
  }
  expect(await theirs.getByRole('button', { name: /^Source / }).count()).toBe(0);
  expect(await theirs.getByTestId('sources').count()).toBe(0);
  await other.page.goto(`${product.url}/uploads`);
  await other.page.getByText('No documents yet').waitFor();
  expect(await other.page.getByRole('article').count()).toBe(0);
  expect(other.consoleErrors).toEqual([]);
});
