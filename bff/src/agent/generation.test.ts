import {
  agentStatusSchema,
  apiErrorSchema,
  chatResponseSchema,
  listMessagesResponseSchema,
  type Message,
  postMessageResponseSchema,
} from '@atrium/contracts';
import { asc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { answerDeltas, messages, userEvents } from '../db/schema/index.js';
import type { BusMessage } from '../realtime/bus.js';
import { userChannel } from '../realtime/bus.js';
import { Browser } from '../testing/browser.js';
import { loggedDeltas } from '../testing/logged-deltas.js';
import {
  emptyReplies,
  endlessScript,
  type ScriptedLlm,
  startScriptedLlm,
  textScript,
} from '../testing/scripted-llm.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';
import { sourcesPrompt } from './answer-with-sources.js';
import { defaultProfile, profileFor } from './profiles.js';

// The scripted server stands in for the LLM provider: real HTTP, the OpenAI streaming protocol.
let llm: ScriptedLlm;
let t: TestApp;
let user: Browser;
const sleeps: number[] = [];

beforeAll(async () => {
  llm = await startScriptedLlm();
  t = await createTestApp({
    env: {
      OPENAI_BASE_URL: llm.url,
      ATRIUM_LLM_TIMEOUT_MS: '300',
      ATRIUM_LLM_MAX_RETRIES: '2',
      ATRIUM_BREAKER_FAILURES: '3',
      ATRIUM_BREAKER_COOLDOWN_MS: '60000',
    },
    chat: {
      agent: {
        // Text answers without tools: the tool loop has its own tests (agent-loop.test.ts).
        tools: null,
        retry: {
          sleep: async (ms) => {
            sleeps.push(ms);
          },
        },
      },
    },
  });
  await t.createUser({ email: 'asker@example.com' });
  user = new Browser(t);
  await user.signIn('asker@example.com', testPassword);
});
afterAll(async () => {
  await t.close();
  await llm.close();
});
afterEach(() => {
  sleeps.length = 0;
  llm.requests.length = 0;
});

let keys = 0;
async function askIn(
  app: TestApp,
  browser: Browser,
  content: string,
  chatId?: string,
): Promise<{ chatId: string; question: Message; answer: Message }> {
  const id =
    chatId ??
    chatResponseSchema.parse(await (await browser.fetch('POST', '/api/chats', { body: { title: 't' } })).json()).chat
      .id;
  const response = await browser.fetch('POST', `/api/chats/${id}/messages`, {
    body: { content },
    headers: { 'Idempotency-Key': `k-${keys++}` },
  });
  expect(response.status).toBe(201);
  await app.runtime.agent.idle();
  const messages = listMessagesResponseSchema.parse(
    await (await browser.fetch('GET', `/api/chats/${id}/messages`)).json(),
  ).messages;
  return { chatId: id, question: messages.at(-2)!, answer: messages.at(-1)! };
}
const ask = (content: string, chatId?: string) => askIn(t, user, content, chatId);

describe('the agent against a scripted provider', () => {
  it('streams an answer and records model, tokens and cost', async () => {
    llm.enqueue(textScript('Refunds take ', '5 days.'));
    const { answer } = await ask('How long do refunds take?');
    expect(answer).toMatchObject({
      status: 'complete',
      mode: 'llm',
      model: 'gpt-4o-mini',
      content: 'Refunds take 5 days.',
      promptTokens: 11,
      completionTokens: 2,
    });
    expect(answer.costUsd).toBeCloseTo((11 * 0.15 + 2 * 0.6) / 1_000_000, 12);
    const [request] = llm.requests;
    expect(request).toMatchObject({ model: 'gpt-4o-mini', stream: true, streamOptions: { include_usage: true } });
    expect(request!.messages[0]!.role).toBe('system');
    expect(request!.messages.at(-1)).toEqual({ role: 'user', content: 'How long do refunds take?' });
  });

  it('uses the large model for long or complex questions, and sends the history', async () => {
    llm.enqueue(textScript('First.'), textScript('Second.'));
    const { chatId } = await ask('hi');
    await ask('Please compare the premium and basic plans step by step', chatId);
    expect(llm.requests.map((r) => r.model)).toEqual(['gpt-4o-mini', 'gpt-4o']);
    expect(llm.requests[1]!.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
  });

  it('sends the conversation as it stands: a regenerated answer replaces the one before it', async () => {
    const system = {
      role: 'system',
      content: `${profileFor(defaultProfile).systemPrompt}\n\n${sourcesPrompt([]).text}`,
    };
    llm.enqueue(textScript('KLM.'), textScript('Lufthansa.'), textScript('Air France.'));
    const { chatId } = await ask('Name one airline.');
    expect((await user.fetch('POST', `/api/chats/${chatId}/regenerate`)).status).toBe(201);
    await t.runtime.agent.idle();
    const { answer } = await ask('Another one?', chatId);
    expect(answer.content).toBe('Air France.');
    expect(llm.requests.map((r) => r.messages)).toEqual([
      [system, { role: 'user', content: 'Name one airline.' }],
      [system, { role: 'user', content: 'Name one airline.' }],
      [
        system,
        { role: 'user', content: 'Name one airline.' },
        { role: 'assistant', content: 'Lufthansa.' },
        { role: 'user', content: 'Another one?' },
      ],
    ]);
  });

  it('estimates tokens when the provider reports no usage', async () => {
    llm.enqueue({ steps: [{ text: 'twelve chars' }] });
    const { answer } = await ask('q');
    expect(answer.completionTokens).toBe(3);
    expect(answer.promptTokens).toBeGreaterThan(0);
  });

  it('answers with the text when the model calls a tool it was not offered (no tool gate)', async () => {
    llm.enqueue({
      steps: [
        { text: 'Let me check. ' },
        { toolCall: { name: 'lookup_order', arguments: '{"id":' } },
        { toolCall: { name: 'lookup_order', arguments: '"42"}' } },
        { text: 'Your order shipped.' },
      ],
    });
    const { answer } = await ask('Where is order 42?');
    expect(answer).toMatchObject({ status: 'complete', content: 'Let me check. Your order shipped.' });
    expect(t.logs.some((l) => String(l.msg).includes('it was not offered') && l.tool === 'lookup_order')).toBe(true);
  });

  it('retries a 429, honouring Retry-After', async () => {
    llm.enqueue({ status: 429, retryAfter: '2' }, textScript('OK now.'));
    const { answer } = await ask('busy?');
    expect(answer).toMatchObject({ status: 'complete', content: 'OK now.' });
    expect(sleeps).toEqual([2000]);
    expect(llm.requests).toHaveLength(2);
  });

  it('retries 500s with backoff, then fails with a clear message and keeps the question', async () => {
    llm.enqueue({ status: 500 }, { status: 500 }, { status: 500 });
    const { question, answer } = await ask('are you there?');
    expect(llm.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(question).toMatchObject({ role: 'user', content: 'are you there?', status: 'complete' });
    expect(answer.status).toBe('failed');
    expect(answer.error).toEqual({
      code: 'agent.provider_error',
      message: 'The assistant is unavailable right now (provider error 500). Your message is saved — try Regenerate.',
    });
    llm.enqueue(textScript('Back.'));
    const regenerated = await user.fetch('POST', `/api/chats/${answer.chatId}/regenerate`);
    expect(regenerated.status).toBe(201);
    await t.runtime.agent.idle();
  });

  it('retries a stall before any text, and fails a stall after text, keeping what was shown', async () => {
    llm.enqueue({ steps: [{ hold: 'never-1' }] }, textScript('Recovered.'));
    const recovered = await ask('stall first');
    expect(recovered.answer).toMatchObject({ status: 'complete', content: 'Recovered.' });

    llm.enqueue({ steps: [{ text: 'Partial' }, { hold: 'never-2' }] });
    const { answer } = await ask('stall later');
    expect(llm.requests).toHaveLength(3);
    expect(answer).toMatchObject({ status: 'failed', content: 'Partial' });
    expect(answer.error!.code).toBe('agent.timeout');
  });

  it('fails cleanly on a malformed chunk', async () => {
    llm.enqueue({ steps: [{ text: 'Half an ' }, { malformed: '{"choices": [ {oops' }] });
    const { answer } = await ask('garbled');
    expect(answer).toMatchObject({ status: 'failed', content: 'Half an ' });
    expect(answer.error!.code).toBe('agent.malformed_reply');
  });

  it('stops a running answer, keeping the text so far, and allows one running answer per chat', async () => {
    llm.enqueue({ steps: [{ text: 'Once upon' }, { hold: 'story' }, { text: ' a time' }] });
    const chat = chatResponseSchema.parse(await (await user.fetch('POST', '/api/chats', { body: {} })).json()).chat;
    await user.fetch('POST', `/api/chats/${chat.id}/messages`, {
      body: { content: 'tell a story' },
      headers: { 'Idempotency-Key': 'story-1' },
    });
    await llm.reached('story');
    const busy = await user.fetch('POST', `/api/chats/${chat.id}/messages`, {
      body: { content: 'and another' },
      headers: { 'Idempotency-Key': 'story-2' },
    });
    expect(busy.status).toBe(409);
    expect(apiErrorSchema.parse(await busy.json()).code).toBe('chat.answer_in_progress');
    expect((await user.fetch('POST', `/api/chats/${chat.id}/regenerate`)).status).toBe(409);

    // The first delta is written at once but not before the POST answers: wait until it is stored, then stop.
    for (;;) {
      const messages = listMessagesResponseSchema.parse(
        await (await user.fetch('GET', `/api/chats/${chat.id}/messages`)).json(),
      ).messages;
      if (messages.at(-1)!.content) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const stopped = await user.fetch('POST', `/api/chats/${chat.id}/stop`);
    expect(stopped.status).toBe(200);
    await t.runtime.agent.idle();
    llm.release('story');
    const last = listMessagesResponseSchema
      .parse(await (await user.fetch('GET', `/api/chats/${chat.id}/messages`)).json())
      .messages.at(-1)!;
    // 'upon' was held by the masker (it could still grow into a secret), shown at the stop as delta 1,
    // refused (stopped) and kept as the tail: deltaSeq names it.
    expect(last).toMatchObject({ status: 'stopped', content: 'Once upon', deltaSeq: 1 });
    // The provider billed the stream up to the stop but never reported usage: an estimate is recorded.
    expect(last.completionTokens).toBe(3);
    expect(last.promptTokens).toBeGreaterThan(0);
    expect(last.costUsd).toBeCloseTo((last.promptTokens! * 0.15 + 3 * 0.6) / 1_000_000, 12);
  });
});

describe('replies with nothing to show', () => {
  it.each(Object.entries(emptyReplies))(
    '%s ends the answer failed as a malformed reply; asking again works',
    async (_, script) => {
      // The first answer succeeds so that earlier failures cannot have opened the breaker.
      llm.enqueue(textScript('Ready.'), script, textScript('Here it is.'));
      const { chatId } = await ask('Ready?');
      const { answer } = await ask('Anything?', chatId);
      expect(answer).toMatchObject({ status: 'failed', error: { code: 'agent.malformed_reply' } });
      expect(answer.content.trim()).toBe('');
      // Not retried: the provider answered, with nothing in it.
      expect(llm.requests).toHaveLength(2);
      expect((await ask('Anything now?', chatId)).answer).toMatchObject({ status: 'complete', content: 'Here it is.' });
    },
  );
});

describe('answer limits', () => {
  // The stall timeout is longer than the deadline, so only the deadline can end these answers.
  let limited: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    limited = await createTestApp({
      env: {
        OPENAI_BASE_URL: llm.url,
        ATRIUM_LLM_TIMEOUT_MS: '5000',
        ATRIUM_ANSWER_DEADLINE_MS: '1000',
        ATRIUM_ANSWER_MAX_CHARS: '100',
      },
    });
    await limited.createUser({ email: 'limits@example.com' });
    browser = new Browser(limited);
    await browser.signIn('limits@example.com', testPassword);
  });
  afterAll(() => limited.close());

  it('ends an answer that streams past its deadline as failed, keeping its text', async () => {
    llm.enqueue(endlessScript('tick ', 100));
    const { answer } = await askIn(limited, browser, 'Count forever.');
    expect(answer).toMatchObject({ status: 'failed', error: { code: 'agent.answer_deadline' } });
    expect(answer.content).toMatch(/^(tick )+$/);
    expect(answer.completionTokens).toBe(Math.ceil(answer.content.length / 4));
  });

  it('ends an answer whose provider never starts at the deadline, retries included', async () => {
    llm.enqueue({ steps: [{ hold: 'never-starts' }] });
    const { answer } = await askIn(limited, browser, 'Hello?');
    expect(answer).toMatchObject({ status: 'failed', content: '', error: { code: 'agent.answer_deadline' } });
  });

  it('ends an answer at the length cap as failed, keeping the text up to it', async () => {
    llm.enqueue({ steps: [{ text: '0123456789'.repeat(9) }, { text: 'abcdefghij' }, { text: 'never shown' }] });
    const first = await askIn(limited, browser, 'Write a lot.');
    expect(first.answer).toMatchObject({
      status: 'failed',
      content: `${'0123456789'.repeat(9)}abcdefghij`,
      error: { code: 'agent.answer_too_long' },
    });
    // A cut never splits a character written as two UTF-16 units.
    llm.enqueue({ steps: [{ text: 'x'.repeat(99) }, { text: '😀 and more' }] });
    const second = await askIn(limited, browser, 'Write a lot again.');
    expect(second.answer).toMatchObject({ status: 'failed', content: 'x'.repeat(99) });
  });
});

describe('the circuit breaker', () => {
  it('opens after consecutive failures, answers retrieval-only, half-opens after the cool-down', async () => {
    llm.enqueue(textScript('A success resets the count.'));
    await ask('reset');
    llm.enqueue(...Array.from({ length: 9 }, () => ({ status: 500 as const })));
    for (let i = 0; i < 3; i++) expect((await ask(`fail ${i}`)).answer.status).toBe('failed');
    expect(agentStatusSchema.parse(await (await user.fetch('GET', '/api/agent')).json())).toEqual({
      mode: 'retrieval_only',
      model: null,
      breaker: 'open',
    });

    const requestsBefore = llm.requests.length;
    const { answer } = await ask('anyone?');
    expect(llm.requests.length).toBe(requestsBefore);
    expect(answer).toMatchObject({ status: 'complete', mode: 'retrieval_only' });
    expect(answer.content).toMatch(/temporarily unavailable/);

    t.clock.advance(60_000);
    expect(agentStatusSchema.parse(await (await user.fetch('GET', '/api/agent')).json()).breaker).toBe('half_open');
    llm.enqueue(textScript('I am back.'));
    expect((await ask('trial')).answer).toMatchObject({ status: 'complete', mode: 'llm', content: 'I am back.' });
    expect(agentStatusSchema.parse(await (await user.fetch('GET', '/api/agent')).json())).toEqual({
      mode: 'llm',
      model: 'gpt-4o-mini',
      breaker: 'closed',
    });
  });
});

describe('what the asker sees of an answer', () => {
  it('comes in the same order whatever runs beside the model request: claimed, streaming with its model, text, done', async () => {
    const owner = await t.createUser({ email: 'order@example.com' });
    const browser = new Browser(t);
    await browser.signIn('order@example.com', testPassword);
    llm.enqueue(textScript('In ', 'order.'));
    const { answer } = await askIn(t, browser, 'In what order?');
    const events = (
      await t.db.select().from(userEvents).where(eq(userEvents.userId, owner.id)).orderBy(asc(userEvents.seq))
    ).filter((e) => e.type !== 'chat.created');
    const seen = events.flatMap((e) => {
      const message = e.payload.message as Message | undefined;
      if (e.type === 'message.deltas') return e.payload.messageId === answer.id ? ['delta'] : [];
      if (message?.id !== answer.id) return e.type === 'chat.updated' ? [] : [`${e.type} question`];
      return [
        `${e.type} ${message.status}${message.status === 'streaming' ? ` ${message.mode} ${message.model}` : ''}`,
      ];
    });
    // Deltas are batched by time: however many there are, they come together, after `streaming`.
    expect(seen.filter((step, n) => step !== 'delta' || seen[n - 1] !== 'delta')).toEqual([
      'message.created question',
      'message.created pending',
      'message.updated retrieving',
      'message.updated streaming llm gpt-4o-mini',
      'delta',
      'message.updated complete',
    ]);
    expect(answer).toMatchObject({ status: 'complete', content: 'In order.' });
  });
});

describe('an answer stopped elsewhere while its prompt is built', () => {
  it('shows no text: the model request made beside the move to streaming is dropped when that move is refused', async () => {
    // The tool list is read beside the search; holding it keeps the answer between its claim and
    // the move to streaming while it is stopped as another instance would stop it (in the
    // database, before the control message reaches this one).
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let asked: () => void = () => undefined;
    const toolsAsked = new Promise<void>((resolve) => {
      asked = resolve;
    });
    const app = await createTestApp({
      env: { OPENAI_BASE_URL: llm.url },
      toolSources: [
        {
          tools: async () => {
            asked();
            await held;
            return [];
          },
        },
      ],
    });
    try {
      const owner = await app.createUser({ email: 'stopped-elsewhere@example.com' });
      const browser = new Browser(app);
      await browser.signIn('stopped-elsewhere@example.com', testPassword);
      // No script queued: had the request reached the provider, its default reply would be text.
      const chat = chatResponseSchema.parse(
        await (await browser.fetch('POST', '/api/chats', { body: {} })).json(),
      ).chat;
      const posted = postMessageResponseSchema.parse(
        await (
          await browser.fetch('POST', `/api/chats/${chat.id}/messages`, {
            body: { content: 'hi' },
            headers: { 'Idempotency-Key': 'stopped-elsewhere' },
          })
        ).json(),
      );
      await toolsAsked;
      const status = async () =>
        (await app.db.select({ status: messages.status }).from(messages).where(eq(messages.id, posted.answer.id)))[0]
          ?.status;
      while ((await status()) !== 'retrieving') await new Promise((resolve) => setTimeout(resolve, 5));
      await app.db.update(messages).set({ status: 'stopped' }).where(eq(messages.id, posted.answer.id));
      release();
      await app.runtime.agent.idle();
      const types = (
        await app.db.select().from(userEvents).where(eq(userEvents.userId, owner.id)).orderBy(asc(userEvents.seq))
      ).map((e) => `${e.type} ${(e.payload.message as Message | undefined)?.status ?? ''}`.trim());
      expect(types.filter((type) => type.startsWith('message.delta') || type.includes('streaming'))).toEqual([]);
      expect(await status()).toBe('stopped');
      const [stored] = await app.db.select().from(messages).where(eq(messages.id, posted.answer.id));
      expect(stored?.content).toBe('');
    } finally {
      await app.close();
    }
  });
});

describe('an instance that shuts down mid-answer', () => {
  it('ends the answer as interrupted with the text shown so far, so the chat takes the next question at once', async () => {
    // Leases far longer than the test: only the shutdown itself can end the answer in time.
    const app = await createTestApp({ env: { OPENAI_BASE_URL: llm.url, ATRIUM_ANSWER_LEASE_MS: '600000' } });
    try {
      const owner = await app.createUser({ email: 'shutdown@example.com' });
      let shown = '';
      await app.runtime.bus.subscribe(userChannel(owner.id), (message: BusMessage) => {
        if (message.kind === 'live-event' && message.event.type === 'message.delta') shown += message.event.text;
      });
      const browser = new Browser(app);
      await browser.signIn('shutdown@example.com', testPassword);
      llm.enqueue({ steps: [{ text: 'Half ' }, { text: 'an answer ' }, { hold: 'shutdown' }, { text: 'never.' }] });
      const chat = chatResponseSchema.parse(
        await (await browser.fetch('POST', '/api/chats', { body: {} })).json(),
      ).chat;
      const { answer } = postMessageResponseSchema.parse(
        await (
          await browser.fetch('POST', `/api/chats/${chat.id}/messages`, {
            body: { content: 'hi' },
            headers: { 'Idempotency-Key': 'shutdown-1' },
          })
        ).json(),
      );
      await llm.reached('shutdown');
      // Shown, and not all stored yet (stored every ATRIUM_ANSWER_PERSIST_MS): the close stores it.
      while (shown !== 'Half an answer ') await new Promise((resolve) => setTimeout(resolve, 5));
      await app.runtime.agent.close();
      llm.release('shutdown');
      const [row] = await app.db.select().from(messages).where(eq(messages.id, answer.id));
      expect(row).toMatchObject({
        status: 'interrupted',
        content: 'Half an answer ',
        error: { code: 'agent.interrupted', message: 'The answer was interrupted. Regenerate to try again.' },
      });
      const next = await browser.fetch('POST', `/api/chats/${chat.id}/messages`, {
        body: { content: 'again' },
        headers: { 'Idempotency-Key': 'shutdown-2' },
      });
      expect(next.status).toBe(201);
    } finally {
      await app.close();
    }
  });
});

describe('delta batching', () => {
  it('writes the first text at once and batches the rest', async () => {
    // Batches that never fill on their own: only the first delta and the end of the stream write.
    const slow = await createTestApp({ env: { OPENAI_BASE_URL: llm.url }, chat: { agent: { flushMs: 3_600_000 } } });
    try {
      const owner = await slow.createUser({ email: 'first@example.com' });
      const browser = new Browser(slow);
      await browser.signIn('first@example.com', testPassword);
      // The output guardrail holds back only a word that could still become a secret: 'Hello ' is
      // complete and goes out at once; ',' waits for what follows it.
      llm.enqueue({ steps: [{ text: 'Hello ' }, { hold: 'rest' }, { text: ',' }, { text: ' world' }] });
      const chat = chatResponseSchema.parse(
        await (await browser.fetch('POST', '/api/chats', { body: {} })).json(),
      ).chat;
      await browser.fetch('POST', `/api/chats/${chat.id}/messages`, {
        body: { content: 'hi' },
        headers: { 'Idempotency-Key': 'first-1' },
      });
      await llm.reached('rest');
      const deltas = () => loggedDeltas(slow.db, owner.id);
      while ((await deltas()).length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      llm.release('rest');
      await slow.runtime.agent.idle();
      expect(await deltas()).toMatchObject([
        { seq: 0, text: 'Hello ' },
        { seq: 1, text: ', world' },
      ]);
    } finally {
      await slow.close();
    }
  });

  it('shows every batch live at once and stores them together on the persist cadence', async () => {
    // Batches every ms, persists never on their own: only the first delta and the end of the stream store.
    const app = await createTestApp({
      env: { OPENAI_BASE_URL: llm.url },
      chat: { agent: { flushMs: 1, persistMs: 3_600_000 } },
    });
    try {
      const owner = await app.createUser({ email: 'cadence@example.com' });
      const browser = new Browser(app);
      await browser.signIn('cadence@example.com', testPassword);
      const live: { seq: number; text: string }[] = [];
      const unsubscribe = await app.runtime.bus.subscribe(userChannel(owner.id), (message: BusMessage) => {
        if (message.kind === 'live-event' && message.event.type === 'message.delta') live.push(message.event);
      });
      llm.enqueue({
        steps: [{ text: 'Hello ' }, { hold: 'one' }, { text: 'there ' }, { hold: 'two' }, { text: 'world ' }],
      });
      const chat = chatResponseSchema.parse(
        await (await browser.fetch('POST', '/api/chats', { body: {} })).json(),
      ).chat;
      await browser.fetch('POST', `/api/chats/${chat.id}/messages`, {
        body: { content: 'hi' },
        headers: { 'Idempotency-Key': 'cadence-1' },
      });
      const logged = () => loggedDeltas(app.db, owner.id);
      const until = async (check: () => Promise<boolean> | boolean) => {
        while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 5));
      };
      await llm.reached('one');
      // The first delta: shown and stored at once (it makes the answer `streaming`).
      await until(async () => live.length === 1 && (await logged()).length === 1);
      llm.release('one');
      await llm.reached('two');
      await until(() => live.length === 2);
      // Shown live, not stored yet: the log and the rows hold only the first delta.
      expect(live.map((d) => [d.seq, d.text])).toEqual([
        [0, 'Hello '],
        [1, 'there '],
      ]);
      expect(await logged()).toMatchObject([{ seq: 0, text: 'Hello ' }]);
      expect(await app.db.select().from(answerDeltas)).toHaveLength(1);
      llm.release('two');
      await app.runtime.agent.idle();
      unsubscribe();
      // Stored before the answer completed, each delta as it was shown.
      expect(live.map((d) => [d.seq, d.text])).toEqual([
        [0, 'Hello '],
        [1, 'there '],
        [2, 'world '],
      ]);
      expect(await logged()).toMatchObject(live);
    } finally {
      await app.close();
    }
  });
});
