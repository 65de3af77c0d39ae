import { loadavg } from 'node:os';
import type { ServerEvent } from '@atrium/contracts';
import { Browser } from '../bff/src/testing/browser.js';
import { startScriptedLlm, textScript } from '../bff/src/testing/scripted-llm.js';
import { SseReader } from '../bff/src/testing/sse-reader.js';
import { type TestApp, testPassword } from '../bff/src/testing/test-app.js';
import { flag, helpRequested, percentile, servedApp } from './harness.js';

if (
  !helpRequested(`
approval-latency — approval click → executed by the worker → visible to the requester.
  Setup per draft (not timed): a 'user' asks in a new chat; the scripted model calls create_ticket
  (risk low: one approval); the answer rests in awaiting_approval with its draft. Measured over
  real loopback HTTP: an 'approver' sends POST /api/drafts/:id/approve; the clock stops when the
  requester's open GET /api/events stream delivers (a) draft.updated with status executed (the
  draft card's result) and (b) message.updated of the answer once it left awaiting_approval (the
  answer continued by answer.continue). The worker is the BFF's inline worker, woken on enqueue.
  Baseline in the same run, interleaved: PATCH /api/chats/:id (rename) → chat.updated on the
  same stream: the same HTTP write → transaction with events → SSE round trip, without a job.
  In-memory PGlite, or PostgreSQL with DATABASE_URL.
  --drafts N     measured approvals (default 100; 5 warm-up first)
`)
) {
  const drafts = flag('drafts', 100);
  const warmUp = 5;
  const loadBefore = loadavg()[0]!;
  const ticketArgs = JSON.stringify({ subject: 'Payment failed', body: 'My card was declined twice.' });
  // Every request that carries no tool result asks for a ticket; after a tool result, text.
  const llm = await startScriptedLlm(textScript('The ticket is waiting for approval.'));
  const served = await servedApp({ env: { OPENAI_BASE_URL: llm.url } });
  const { t, base, browser: requester } = served;
  await t.createUser({ email: 'bench-approver@example.com', role: 'approver' });
  const target = { app: { request: (url: string, init?: RequestInit) => fetch(url, init) } } as unknown as TestApp;
  const approver = new Browser(target, { origin: base });
  await approver.signIn('bench-approver@example.com', testPassword);

  const events = new SseReader((await requester.fetch('GET', '/api/events')).body!);
  await events.untilComment('live');
  const next = async (): Promise<ServerEvent> => {
    const got = await events.nextEvent();
    if (!got) throw new Error('the event stream ended');
    return got.event;
  };

  /** A new chat whose answer proposed one create_ticket draft and rests awaiting approval. */
  async function draftedAnswer(i: number): Promise<{ draftId: string; answerId: string }> {
    const chatId = await served.newChat();
    llm.enqueue({ steps: [{ toolCall: { name: 'create_ticket', arguments: ticketArgs } }] });
    const posted = await requester.fetch('POST', `/api/chats/${chatId}/messages`, {
      body: { content: 'Please open a ticket: my payment failed.' },
      headers: { 'Idempotency-Key': `draft-${i}` },
    });
    if (posted.status >= 300) throw new Error(`post: ${posted.status} ${await posted.text()}`);
    let draftId: string | null = null;
    for (;;) {
      const event = await next();
      if (event.type === 'draft.updated' && event.draft.status === 'pending') draftId = event.draft.id;
      if (event.type === 'message.updated' && event.message.chatId === chatId) {
        if (event.message.status === 'awaiting_approval' && draftId) return { draftId, answerId: event.message.id };
        if (['complete', 'failed', 'stopped', 'interrupted'].includes(event.message.status)) {
          throw new Error(`the answer ended ${event.message.status} without a draft`);
        }
      }
    }
  }

  async function approve(draft: { draftId: string; answerId: string }) {
    const start = performance.now();
    const response = await approver.fetch('POST', `/api/drafts/${draft.draftId}/approve`, { body: {} });
    const clicked = performance.now() - start;
    if (response.status !== 200) throw new Error(`approve: ${response.status} ${await response.text()}`);
    let executed: number | null = null;
    let continued: number | null = null;
    while (executed === null || continued === null) {
      const event = await next();
      const at = performance.now() - start;
      if (event.type === 'draft.updated' && event.draft.id === draft.draftId) {
        if (event.draft.status === 'executed') executed ??= at;
        else if (event.draft.status === 'failed') throw new Error('the draft failed');
      }
      if (
        event.type === 'message.updated' &&
        event.message.id === draft.answerId &&
        event.message.status !== 'awaiting_approval'
      ) {
        continued ??= at;
      }
    }
    return { clicked, executed, continued };
  }

  async function rename(chatId: string, i: number) {
    const start = performance.now();
    const response = await requester.fetch('PATCH', `/api/chats/${chatId}`, { body: { title: `renamed ${i}` } });
    if (response.status !== 200) throw new Error(`rename: ${response.status}`);
    for (;;) {
      const event = await next();
      if (event.type === 'chat.updated' && event.chat.id === chatId && event.chat.title === `renamed ${i}`) {
        return performance.now() - start;
      }
    }
  }

  const renameChat = await served.newChat();
  const samples = {
    clicked: [] as number[],
    executed: [] as number[],
    continued: [] as number[],
    rename: [] as number[],
  };
  for (let i = 0; i < warmUp + drafts; i++) {
    const draft = await draftedAnswer(i);
    // Let the proposal's own work (the answer's last transaction, the expiry job) settle first.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const measured = i >= warmUp;
    const first = i % 2 === 0;
    if (first) {
      const r = await rename(renameChat, i);
      if (measured) samples.rename.push(r);
    }
    const a = await approve(draft);
    if (!first) {
      const r = await rename(renameChat, i);
      if (measured) samples.rename.push(r);
    }
    if (measured) {
      samples.clicked.push(a.clicked);
      samples.executed.push(a.executed);
      samples.continued.push(a.continued);
    }
  }
  const loadAfter = loadavg()[0]!;

  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(9);
  const row = (name: string, xs: number[]) => {
    const s = sorted(xs);
    return `  ${name.padEnd(52)} p50 ${ms(percentile(s, 50))}   p99 ${ms(percentile(s, 99))}\n`;
  };
  const p = (xs: number[], q: number) => percentile(sorted(xs), q);
  process.stdout.write(
    `${drafts} approvals, ${t.driver === 'postgres' ? 'PostgreSQL' : 'PGlite in memory'}, inline worker\n` +
      row('approve POST answered', samples.clicked) +
      row('approve → draft.updated executed on requester SSE', samples.executed) +
      row('approve → answer message.updated (continued)', samples.continued) +
      row('baseline: rename PATCH → chat.updated on SSE', samples.rename) +
      `  ratio executed / rename                              p50 ${(p(samples.executed, 50) / p(samples.rename, 50)).toFixed(1).padStart(9)}   p99 ${(p(samples.executed, 99) / p(samples.rename, 99)).toFixed(1).padStart(9)}\n` +
      `  load average (1 min) ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}\n`,
  );
  await events.close();
  await served.close();
  await llm.close();
  process.exit(0);
}
