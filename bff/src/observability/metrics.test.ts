import { randomUUID } from 'node:crypto';
import { chatResponseSchema } from '@atrium/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { drafts } from '../db/schema/index.js';
import { createJobQueue } from '../jobs/queue.js';
import { Browser } from '../testing/browser.js';
import { buildOf, createToken, publish } from '../testing/registry-publisher.js';
import { type ScriptedLlm, startScriptedLlm, textScript } from '../testing/scripted-llm.js';
import { SseReader } from '../testing/sse-reader.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

const token = 'metrics-token-for-tests-0123456789';
let llm: ScriptedLlm;
let t: TestApp;
let user: Browser;
let admin: Browser;

beforeAll(async () => {
  llm = await startScriptedLlm();
  llm.fallback = textScript('Done.');
  t = await createTestApp({
    env: { OPENAI_BASE_URL: llm.url, ATRIUM_LLM_MAX_RETRIES: '0', ATRIUM_METRICS_TOKEN: token },
  });
  await t.createUser({ email: 'metrics-user@example.com' });
  await t.createUser({ email: 'metrics-admin@example.com', role: 'admin' });
  user = new Browser(t);
  await user.signIn('metrics-user@example.com', testPassword);
  admin = new Browser(t);
  await admin.signIn('metrics-admin@example.com', testPassword);
});
afterAll(async () => {
  await t.close();
  await llm.close();
});

async function scrape(): Promise<string> {
  const response = await t.app.request('http://localhost/metrics', { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one sample in the text exposition, matched on name and exactly these labels; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    const wanted = Object.entries(labels);
    if (wanted.length === Object.keys(found).length && wanted.every(([k, v]) => found[k] === v))
      return Number(match[3]);
  }
  return undefined;
}

async function ask(content: string) {
  const chat = chatResponseSchema.parse(
    await (await user.fetch('POST', '/api/chats', { body: { title: 'm' } })).json(),
  ).chat;
  const response = await user.fetch('POST', `/api/chats/${chat.id}/messages`, {
    body: { content },
    headers: { 'Idempotency-Key': randomUUID() },
  });
  expect(response.status).toBe(201);
  await t.runtime.agent.idle();
  return chat.id;
}

describe('GET /metrics', () => {
  it('asks for the bearer token: 401 without it or with another, never the metrics', async () => {
    const none = await t.app.request('http://localhost/metrics');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.json()).toMatchObject({ code: 'auth.required' });
    const wrong = await t.app.request('http://localhost/metrics', {
      headers: { Authorization: `Bearer ${token.slice(0, -1)}x` },
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('atrium_');
    // A signed-in admin's session is no substitute for the token.
    expect((await admin.fetch('GET', '/metrics')).status).toBe(401);
  });

  it('counts requests by route pattern and status, never by raw path', async () => {
    const chatId = randomUUID();
    for (let i = 0; i < 2; i++) expect((await user.fetch('GET', `/api/chats/${chatId}`)).status).toBe(404);
    expect((await user.fetch('GET', '/api/no-such-thing-7f3a')).status).toBe(404);
    const text = await scrape();
    expect(sample(text, 'atrium_http_requests_total', { method: 'GET', route: '/api/chats/:id', status: '404' })).toBe(
      2,
    );
    expect(
      sample(text, 'atrium_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/chats/:id',
        status: '404',
      }),
    ).toBe(2);
    expect(text).not.toContain(chatId);
    expect(text).not.toContain('no-such-thing-7f3a');
    expect(
      sample(text, 'atrium_http_requests_total', { method: 'POST', route: '/api/auth/sign-in', status: '200' }),
    ).toBe(2);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(sample(text, 'atrium_eval_pass_rate')).toBeNaN();
  });

  it('reads the eval pass rate from the newest reported run', async () => {
    for (const [name, passed] of [
      ['older', 40],
      ['newest', 49],
    ] as const) {
      const response = await admin.fetch('POST', '/api/evals/runs', { body: { name, passed, total: 50 } });
      expect(response.status).toBe(201);
      t.clock.advance(1_000);
    }
    t.clock.advance(5_000); // past the scrape cache
    expect(sample(await scrape(), 'atrium_eval_pass_rate')).toBeCloseTo(0.98);
  });

  it('records a model answer: latency by model, prompt and completion tokens, cost, and the retrieval', async () => {
    llm.enqueue({ steps: [{ text: 'Five days.' }, { usage: { prompt: 1_000, completion: 200 } }] });
    await ask('How long do refunds take?');
    t.clock.advance(5_000);
    const text = await scrape();
    const model = 'gpt-4o-mini';
    expect(sample(text, 'atrium_llm_request_duration_seconds_count', { model, outcome: 'ok' })).toBe(1);
    expect(sample(text, 'atrium_llm_tokens_total', { model, type: 'prompt' })).toBe(1_000);
    expect(sample(text, 'atrium_llm_tokens_total', { model, type: 'completion' })).toBe(200);
    // ATRIUM_MODEL_PRICES' default for gpt-4o-mini: 0.15 USD in, 0.60 USD out per 1M tokens.
    expect(sample(text, 'atrium_llm_cost_usd_total', { model })).toBeCloseTo((1_000 * 0.15 + 200 * 0.6) / 1e6, 12);
    expect(sample(text, 'atrium_retrieval_duration_seconds_count', { mode: 'full_text' })).toBe(1);
    expect(sample(text, 'atrium_retrievals_total', { result: 'miss' })).toBe(1);
    // The empty knowledge base gave no passage, so the answer cites none.
    expect(sample(text, 'atrium_citation_rate')).toBe(0);
  });

  it('counts tool calls by tool and outcome; a drafted write waits as a pending approval until decided', async () => {
    llm.enqueue(
      { steps: [{ toolCall: { name: 'list_my_tickets', arguments: '{}' } }] },
      textScript('You have no tickets.'),
      {
        steps: [
          {
            toolCall: {
              name: 'create_ticket',
              arguments: JSON.stringify({ subject: 'Printer on fire', body: 'It is on fire.' }),
            },
          },
        ],
      },
      textScript('I proposed a ticket.'),
    );
    await ask('What are my tickets?');
    await ask('Open a ticket: the printer is on fire.');
    t.clock.advance(5_000);
    let text = await scrape();
    expect(sample(text, 'atrium_tool_calls_total', { tool: 'list_my_tickets', outcome: 'result' })).toBe(1);
    expect(
      sample(text, 'atrium_tool_call_duration_seconds_count', { tool: 'list_my_tickets', outcome: 'result' }),
    ).toBe(1);
    expect(sample(text, 'atrium_tool_calls_total', { tool: 'create_ticket', outcome: 'drafted' })).toBe(1);
    expect(sample(text, 'atrium_approvals_pending')).toBe(1);

    const [draft] = await t.db.select().from(drafts).where(eq(drafts.tool, 'create_ticket'));
    t.clock.advance(90_000);
    expect((await admin.fetch('POST', `/api/drafts/${draft!.id}/approve`, { body: {} })).status).toBe(200);
    t.clock.advance(5_000);
    text = await scrape();
    expect(sample(text, 'atrium_approvals_pending')).toBe(0);
    expect(sample(text, 'atrium_approval_duration_seconds_count', { decision: 'approved' })).toBe(1);
    // Decided 90 s after it was proposed: in the 300 s bucket, not the 60 s one.
    expect(sample(text, 'atrium_approval_duration_seconds_bucket', { decision: 'approved', le: '60' })).toBe(0);
    expect(sample(text, 'atrium_approval_duration_seconds_bucket', { decision: 'approved', le: '300' })).toBe(1);
  });

  it('shows open event streams going up and down', async () => {
    expect(sample(await scrape(), 'atrium_sse_connections')).toBe(0);
    const response = await user.fetch('GET', '/api/events');
    const reader = new SseReader(response.body!);
    await reader.untilComment('live');
    expect(sample(await scrape(), 'atrium_sse_connections')).toBe(1);
    await reader.close();
    await vi.waitFor(async () => expect(sample(await scrape(), 'atrium_sse_connections')).toBe(0));
  });

  it('reads the job-queue depth by queue at scrape time, cached for 5 s', async () => {
    const queue = createJobQueue({ db: t.db, clock: t.clock });
    t.clock.advance(5_000);
    const before = sample(await scrape(), 'atrium_job_queue_depth', { queue: 'metrics.test' });
    expect(before).toBeUndefined();
    await queue.enqueue(t.db, 'metrics.test', { n: 1 }, { runAt: new Date(t.clock.now().getTime() + 3_600_000) });
    expect(sample(await scrape(), 'atrium_job_queue_depth', { queue: 'metrics.test' })).toBeUndefined();
    t.clock.advance(5_000);
    expect(sample(await scrape(), 'atrium_job_queue_depth', { queue: 'metrics.test' })).toBe(1);
  });

  it('counts remote loads by remote, version and outcome; a version label only from a signed-in browser and only a published one', async () => {
    const token = await createToken(admin, 'admin');
    for (const version of ['1.4.0', '1.5.0-canary.1']) {
      expect((await publish(t, token, 'admin', version, buildOf('admin', version))).status).toBe(201);
    }
    const load = (version: string, outcome: string) => ({
      kind: 'load',
      report: { remote: 'admin', version, outcome, ms: 120 },
    });
    const post = (browser: Browser, reports: unknown[]) =>
      browser.fetch('POST', '/api/telemetry', { body: { reports } });
    expect(
      (await post(user, [load('1.4.0', 'ok'), load('1.4.0', 'ok'), load('1.5.0-canary.1', 'timeout')])).status,
    ).toBe(202);
    expect((await post(new Browser(t), [load('9.9.9', 'error')])).status).toBe(202);
    // A signed-in user inventing versions adds no series: each unpublished one counts as `other`.
    const invented = Array.from({ length: 50 }, (_, i) => load(`1.0.0-x${i}`, 'ok'));
    expect((await post(user, invented)).status).toBe(202);
    const text = await scrape();
    expect(sample(text, 'atrium_remote_loads_total', { remote: 'admin', version: '1.4.0', outcome: 'ok' })).toBe(2);
    expect(
      sample(text, 'atrium_remote_loads_total', { remote: 'admin', version: '1.5.0-canary.1', outcome: 'timeout' }),
    ).toBe(1);
    expect(sample(text, 'atrium_remote_loads_total', { remote: 'admin', version: 'other', outcome: 'error' })).toBe(1);
    expect(sample(text, 'atrium_remote_loads_total', { remote: 'admin', version: 'other', outcome: 'ok' })).toBe(50);
    expect(text).not.toContain('1.0.0-x');
  });
});
