import { draftResponseSchema, listTicketsResponseSchema } from '@atrium/contracts';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { ApiSession } from './support/api-session.js';
import { openTab } from './support/browser.js';
import { journey } from './support/journey.js';
import { admin } from './support/product.js';
import { callTool, lastUserText, offers, say, toolResults } from './support/scripted-model.js';
import { signInThroughUi } from './support/sign-in.js';

const subject = 'Card payment failed for invoice 2024-117';
const continuation = 'Your ticket about the failed payment is open; support will get back to you.';

// The model: asked about a failed payment with `create_ticket` on offer, it proposes a ticket;
// given the tool's result, it says so; anything else gets a plain sentence (journey.ts fallback).
const started = journey(
  {},
  {
    model: (request) => {
      if (toolResults(request)) return say(continuation);
      if (offers(request, 'create_ticket') && /failed payment/i.test(lastUserText(request))) {
        return callTool('create_ticket', {
          subject,
          body: 'My card payment for invoice 2024-117 failed, but the bank shows the money as reserved.',
          priority: 'high',
        });
      }
      return undefined;
    },
  },
);

const password = 'a long enough passphrase';
const customer = { email: 'customer@e2e.test', password };
const approver = { email: 'approver@e2e.test', password };

const lastAnswer = (page: Page) => page.locator('[data-testid="message"][data-role="assistant"]').last();

// Several people in their own browser contexts and the worker between them: up to two minutes on a busy machine.
test('a user asks for a ticket about a failed payment, an approver approves the draft, and the chat shows the ticket opened without a reload', async () => {
  const { product, browser, llm } = started;
  const adminSession = await ApiSession.signIn(product.url, admin.email, admin.password);
  await adminSession.createUser(customer.email, customer.password, 'user');
  await adminSession.createUser(approver.email, approver.password, 'approver');

  // The customer asks in chat; the answer proposes the ticket and waits.
  const user = await openTab(browser);
  await signInThroughUi(user.page, product.url, customer.email, customer.password, '/chat/new');
  const composer = user.page.getByLabel('Message', { exact: true });
  await composer.fill(
    'My payment failed yesterday. Can you open a ticket about the failed payment on invoice 2024-117?',
  );
  await composer.press('Enter');
  await user.page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
  const answer = lastAnswer(user.page);
  await answer.and(user.page.locator('[data-status="awaiting_approval"]')).waitFor();
  expect(await answer.getByTestId('status-label').textContent()).toBe('Waiting for approval');

  const card = answer.getByTestId('tool-draft');
  await card.and(user.page.locator('[data-status="pending"]')).waitFor();
  const cardText = (await card.textContent()) ?? '';
  expect(cardText).toContain(`Open a ticket "${subject}" (priority high).`);
  expect(cardText).toContain('Risk: low');
  expect(cardText).toContain('Approvals: 0 of 1');
  expect(await card.getByTestId('tool-draft-status').textContent()).toBe('Waiting for approval');
  const draftId = (await card.getAttribute('data-draft')) ?? '';
  expect(draftId).toMatch(/^[0-9a-f-]{36}$/);
  // A marker on this document: still there at the end means the chat was never reloaded.
  await user.page.evaluate(() => Object.assign(window, { sameDocument: true }));

  // The requester cannot approve their own draft: the card offers no such control, the API refuses,
  // and nothing is created.
  expect(await card.getByRole('button', { name: /approve/i }).count()).toBe(0);
  const customerSession = await ApiSession.signIn(product.url, customer.email, customer.password);
  const ownApproval = await customerSession.raw('POST', `/api/drafts/${draftId}/approve`, {});
  expect(ownApproval.status).toBe(403);
  const before = listTicketsResponseSchema.parse(await customerSession.request('GET', '/api/tickets'));
  expect(before.tickets).toEqual([]);

  // The approver finds it in admin's queue, with who it waits on, and approves it.
  const decider = await openTab(browser);
  await signInThroughUi(decider.page, product.url, approver.email, approver.password, '/admin/approvals');
  const row = decider.page.locator(`[data-testid="approval-row"][data-draft="${draftId}"]`);
  await row.waitFor();
  expect(await row.getByTestId('approval-waiting').textContent()).toContain('Level 1 of 1');
  expect(await row.textContent()).toContain(customer.email.split('@')[0]);
  await row.getByRole('button', { name: /^Approve:/ }).click();
  const dialog = decider.page.getByTestId('decision-dialog');
  await dialog.getByLabel('Reason (optional)').fill('Payment issues get a ticket.');
  await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  // Decided, it leaves the pending view.
  await row.waitFor({ state: 'detached' });

  // The customer's chat shows the outcome live: the card says done with its result, the answer completes.
  await card.and(user.page.locator('[data-status="executed"]')).waitFor();
  expect(await card.getByTestId('tool-draft-status').textContent()).toBe('Done');
  expect(await card.textContent()).toContain('Approvals: 1 of 1');
  expect(await card.getByTestId('tool-draft-outcome').textContent()).toMatch(/^Ticket #\d+ opened\.$/);
  await answer.and(user.page.locator('[data-status="complete"]')).waitFor();
  // With the agent continuing after approval, the model's text follows; without, a plain result.
  const continued = llm?.requests.some((request) => toolResults(request) !== null) ?? false;
  expect(await answer.locator('.chat-message-body').textContent()).toContain(
    continued ? continuation : 'create_ticket',
  );
  expect(await user.page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(true);

  // The ticket exists, the customer's own, as the draft's result says.
  const after = listTicketsResponseSchema.parse(await customerSession.request('GET', '/api/tickets'));
  expect(after.tickets.map((ticket) => ticket.subject)).toEqual([subject]);
  expect(after.tickets[0]!.priority).toBe('high');
  const { draft } = draftResponseSchema.parse(await customerSession.request('GET', `/api/drafts/${draftId}`));
  expect(draft.outcome?.message).toBe(`Ticket #${after.tickets[0]!.number} opened.`);

  expect(user.consoleErrors).toEqual([]);
  expect(decider.consoleErrors).toEqual([]);
}, 120_000);
