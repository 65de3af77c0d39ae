import {
  draftResponseSchema,
  listDraftsResponseSchema,
  listTicketsResponseSchema,
  postMessageResponseSchema,
  ticketResponseSchema,
} from '@atrium/contracts';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { ApiSession } from './support/api-session.js';
import { openTab, type Tab } from './support/browser.js';
import { journey } from './support/journey.js';
import { admin } from './support/product.js';
import { callTool, lastUserText, offers, say, toolResults } from './support/scripted-model.js';
import { signInThroughUi } from './support/sign-in.js';

const ticketSubject = 'Charged twice for the March plan';
const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

// The model: a customer's complaint with `create_ticket` on offer → a ticket; a refund request
// naming a ticket id with `issue_refund` on offer → a refund of 25.00 EUR on it; given tool
// results, a closing sentence; anything else gets a plain sentence (journey.ts fallback).
const started = journey(
  {},
  {
    model: (request) => {
      if (toolResults(request)) return say('The refund went through after both approvals.');
      const text = lastUserText(request);
      const ticketId = uuid.exec(text)?.[0];
      if (offers(request, 'issue_refund') && /refund/i.test(text) && ticketId) {
        return callTool('issue_refund', {
          ticketId,
          amountCents: 2500,
          currency: 'EUR',
          reason: 'The customer was charged twice for the March plan.',
        });
      }
      if (offers(request, 'create_ticket') && /charged twice/i.test(text)) {
        return callTool('create_ticket', { subject: ticketSubject, body: text.slice(0, 500), priority: 'normal' });
      }
      return undefined;
    },
  },
);

const password = 'a long enough passphrase';
const customer = { email: 'customer@e2e.test', password };
const agent = { email: 'agent@e2e.test', password };
const approver = { email: 'approver@e2e.test', password };

const lastAnswer = (page: Page) => page.locator('[data-testid="message"][data-role="assistant"]').last();

/** Polls `read` every 100 ms until it returns a value (not undefined), for at most 30 s. */
async function eventually<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The existing ticket, arranged through the real API the way it comes to be: the customer asks
 * the assistant in a chat, the answer drafts `create_ticket`, an approver approves it.
 */
async function customerTicket(baseUrl: string, approverSession: ApiSession) {
  const session = await ApiSession.signIn(baseUrl, customer.email, customer.password);
  const { chat } = (await session.request('POST', '/api/chats', {})) as { chat: { id: string } };
  const posted = postMessageResponseSchema.parse(
    await session.request(
      'POST',
      `/api/chats/${chat.id}/messages`,
      { content: 'I was charged twice for the March plan, please open a ticket.' },
      { 'Idempotency-Key': crypto.randomUUID() },
    ),
  );
  const draft = await eventually('the ticket draft', async () => {
    const mine = listDraftsResponseSchema.parse(await session.request('GET', '/api/drafts/mine'));
    return mine.drafts.find((d) => d.answerId === posted.answer.id);
  });
  await approverSession.request('POST', `/api/drafts/${draft.id}/approve`, {});
  return eventually('the ticket', async () => {
    const { tickets } = listTicketsResponseSchema.parse(await session.request('GET', '/api/tickets'));
    return tickets.find((ticket) => ticket.subject === ticketSubject);
  });
}

/** Approves, in admin's queue on `tab`, the level of draft `draftId` that waits for this person. */
async function approveInQueue(tab: Tab, draftId: string, waiting: string) {
  const row = tab.page.locator(`[data-testid="approval-row"][data-draft="${draftId}"]`);
  await row.getByTestId('approval-waiting').getByText(waiting).waitFor();
  await row.getByRole('button', { name: /^Approve:/ }).click();
  const dialog = tab.page.getByTestId('decision-dialog');
  await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  return row;
}

// Several people in their own browser contexts and the worker between them: up to two minutes on a busy machine.
test('an agent_l2 proposes a refund that needs two levels and sees it executed, live, after the second', async () => {
  const { product, browser, llm } = started;
  const adminSession = await ApiSession.signIn(product.url, admin.email, admin.password);
  await adminSession.createUser(customer.email, customer.password, 'user');
  await adminSession.createUser(agent.email, agent.password, 'agent_l2');
  await adminSession.createUser(approver.email, approver.password, 'approver');
  const approverSession = await ApiSession.signIn(product.url, approver.email, approver.password);
  const ticket = await customerTicket(product.url, approverSession);

  // The agent asks for the refund in chat; the answer drafts it with two levels and waits.
  const support = await openTab(browser);
  await signInThroughUi(support.page, product.url, agent.email, agent.password, '/chat/new');
  const composer = support.page.getByLabel('Message', { exact: true });
  await composer.fill(
    `Please refund 25.00 EUR on ticket ${ticket.id} (#${ticket.number}), the customer was charged twice.`,
  );
  await composer.press('Enter');
  await support.page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
  const answer = lastAnswer(support.page);
  await answer.and(support.page.locator('[data-status="awaiting_approval"]')).waitFor();
  const card = answer.getByTestId('tool-draft');
  await card.and(support.page.locator('[data-status="pending"]')).waitFor();
  const draftId = (await card.getAttribute('data-draft')) ?? '';
  const cardText = (await card.textContent()) ?? '';
  expect(cardText).toContain(`Refund 25.00 EUR on ticket ${ticket.id}`);
  expect(cardText).toContain('Risk: high');
  expect(cardText).toContain('Approvals: 0 of 2');
  const levels = card.locator('.chat-tool-draft-levels li');
  expect(await levels.count()).toBe(2);
  expect(await levels.nth(0).textContent()).toMatch(/^Level 1 \(.+\): waiting$/);
  expect(await levels.nth(1).textContent()).toMatch(/^Level 2 \(Administrator\): waiting$/);
  await support.page.evaluate(() => Object.assign(window, { sameDocument: true }));

  // The approver gives level 1 in admin's queue; the draft still waits, now on an admin.
  const first = await openTab(browser);
  await signInThroughUi(first.page, product.url, approver.email, approver.password, '/admin/approvals');
  const row = await approveInQueue(first, draftId, 'Level 1 of 2');
  await row.getByTestId('approval-waiting').getByText('Level 2 of 2').waitFor();
  // Having given a level, the approver has no further decision on it.
  expect(await row.getByRole('button', { name: /^Approve:/ }).count()).toBe(0);

  // The agent's card follows without a reload: 1 of 2, still waiting.
  await card.getByText('Approvals: 1 of 2').waitFor();
  expect(await card.getAttribute('data-status')).toBe('pending');
  expect(await levels.nth(0).textContent()).toMatch(/approved$/);
  const refundsBefore = ticketResponseSchema.parse(await adminSession.request('GET', `/api/tickets/${ticket.id}`));
  expect(refundsBefore.ticket.refunds).toEqual([]);

  // An admin gives level 2; the worker executes the refund.
  const second = await openTab(browser);
  await signInThroughUi(second.page, product.url, admin.email, admin.password, '/admin/approvals');
  await approveInQueue(second, draftId, 'Level 2 of 2');

  // The agent sees it executed, live, and the answer completes.
  await card.and(support.page.locator('[data-status="executed"]')).waitFor();
  expect(await card.getByTestId('tool-draft-status').textContent()).toBe('Done');
  expect(await card.textContent()).toContain('Approvals: 2 of 2');
  expect(await card.getByTestId('tool-draft-outcome').textContent()).toBe(
    `Refund recorded on ticket #${ticket.number}.`,
  );
  await answer.and(support.page.locator('[data-status="complete"]')).waitFor();
  const continued = llm?.requests.some((request) => toolResults(request) !== null) ?? false;
  expect(await answer.locator('.chat-message-body').textContent()).toContain(
    continued ? 'The refund went through' : 'issue_refund',
  );
  expect(await support.page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(true);

  // The refund row exists, once, as the agent reads the ticket.
  const agentSession = await ApiSession.signIn(product.url, agent.email, agent.password);
  const { ticket: refunded } = ticketResponseSchema.parse(
    await agentSession.request('GET', `/api/tickets/${ticket.id}`),
  );
  expect(refunded.refunds.map((r) => [r.amountCents, r.currency])).toEqual([[2500, 'EUR']]);
  const { draft } = draftResponseSchema.parse(await agentSession.request('GET', `/api/drafts/${draftId}`));
  expect(draft.status).toBe('executed');
  expect(draft.levels.map((level) => level.decision?.by.kind === 'user' && level.decision.approve)).toEqual([
    true,
    true,
  ]);

  for (const tab of [support, first, second]) expect(tab.consoleErrors).toEqual([]);
}, 120_000);
