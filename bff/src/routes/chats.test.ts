import {
  answerResponseSchema,
  apiErrorSchema,
  chatResponseSchema,
  listChatsResponseSchema,
  listMessagesResponseSchema,
  postMessageResponseSchema,
} from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
let alice: Browser;
let bob: Browser;

beforeAll(async () => {
  t = await createTestApp();
  await t.createUser({ email: 'alice@example.com' });
  await t.createUser({ email: 'bob@example.com' });
  alice = new Browser(t);
  bob = new Browser(t);
  await alice.signIn('alice@example.com', testPassword);
  await bob.signIn('bob@example.com', testPassword);
});
afterAll(() => t.close());

async function newChat(browser: Browser, title?: string) {
  const response = await browser.fetch('POST', '/api/chats', { body: title ? { title } : {} });
  expect(response.status).toBe(201);
  return chatResponseSchema.parse(await response.json()).chat;
}

const post = (browser: Browser, chatId: string, content: string, key: string) =>
  browser.fetch('POST', `/api/chats/${chatId}/messages`, { body: { content }, headers: { 'Idempotency-Key': key } });

async function errorCode(response: Response) {
  return apiErrorSchema.parse(await response.json()).code;
}

describe('chats', () => {
  it('creates, renames, lists and deletes chats', async () => {
    const chat = await newChat(alice, 'Billing question');
    expect(chat.title).toBe('Billing question');
    const renamed = await alice.fetch('PATCH', `/api/chats/${chat.id}`, { body: { title: 'Refund' } });
    expect(chatResponseSchema.parse(await renamed.json()).chat.title).toBe('Refund');
    const list = listChatsResponseSchema.parse(await (await alice.fetch('GET', '/api/chats')).json());
    expect(list.chats.map((c) => c.id)).toContain(chat.id);
    expect((await alice.fetch('DELETE', `/api/chats/${chat.id}`)).status).toBe(200);
    expect((await alice.fetch('GET', `/api/chats/${chat.id}`)).status).toBe(404);
  });

  it('creates a chat untitled (no English name for the client to show) and titles it from its first message', async () => {
    const chat = await newChat(alice);
    expect(chat.title).toBeNull();
    const long = `\n  My order never arrived and ${'the tracking page says nothing useful '.repeat(3)}\nOrder 7`;
    await post(alice, chat.id, long, 'title-1');
    const fetched = chatResponseSchema.parse(await (await alice.fetch('GET', `/api/chats/${chat.id}`)).json()).chat;
    expect(fetched.title).toBe(`My order never arrived and the tracking page says nothing u…`);
    expect([...fetched.title!]).toHaveLength(60);

    // A cut counts characters, so an emoji is never split into half a character.
    const emoji = await newChat(alice);
    await post(alice, emoji.id, `${'a'.repeat(58)}😀😀 more`, 'title-2');
    const named = chatResponseSchema.parse(await (await alice.fetch('GET', `/api/chats/${emoji.id}`)).json()).chat;
    expect(named.title).toBe(`${'a'.repeat(58)}😀…`);
  });

  it('pages chats newest first with an opaque cursor, and searches titles literally', async () => {
    const user = await t.createUser({ email: 'pager@example.com' });
    const pager = new Browser(t);
    await pager.signIn(user.email, testPassword);
    const made = [];
    for (const title of ['alpha', 'beta', '100% sure', 'gamma', 'delta_x']) {
      t.clock.advance(1000);
      made.push(await newChat(pager, title));
    }
    const first = listChatsResponseSchema.parse(await (await pager.fetch('GET', '/api/chats?limit=2')).json());
    expect(first.chats.map((c) => c.title)).toEqual(['delta_x', 'gamma']);
    const second = listChatsResponseSchema.parse(
      await (await pager.fetch('GET', `/api/chats?limit=2&cursor=${first.nextCursor}`)).json(),
    );
    expect(second.chats.map((c) => c.title)).toEqual(['100% sure', 'beta']);
    const third = listChatsResponseSchema.parse(
      await (await pager.fetch('GET', `/api/chats?limit=2&cursor=${second.nextCursor}`)).json(),
    );
    expect(third.chats.map((c) => c.title)).toEqual(['alpha']);
    expect(third.nextCursor).toBeNull();

    const percent = listChatsResponseSchema.parse(await (await pager.fetch('GET', '/api/chats?q=%25')).json());
    expect(percent.chats.map((c) => c.title)).toEqual(['100% sure']);
    const underscore = listChatsResponseSchema.parse(await (await pager.fetch('GET', '/api/chats?q=_')).json());
    expect(underscore.chats.map((c) => c.title)).toEqual(['delta_x']);

    const bad = await pager.fetch('GET', '/api/chats?cursor=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(await errorCode(bad)).toBe('request.invalid_cursor');
  });

  it('pages messages oldest first, further into the past with the cursor', async () => {
    const chat = await newChat(alice, 'Paging');
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1000);
      await post(alice, chat.id, `question ${i}`, `page-${i}`);
      await t.runtime.agent.idle();
    }
    const newest = listMessagesResponseSchema.parse(
      await (await alice.fetch('GET', `/api/chats/${chat.id}/messages?limit=4`)).json(),
    );
    expect(newest.messages.map((m) => `${m.role}:${m.content.slice(0, 10)}`)).toEqual([
      'user:question 1',
      `assistant:${newest.messages[1]!.content.slice(0, 10)}`,
      'user:question 2',
      `assistant:${newest.messages[3]!.content.slice(0, 10)}`,
    ]);
    const older = listMessagesResponseSchema.parse(
      await (await alice.fetch('GET', `/api/chats/${chat.id}/messages?limit=4&cursor=${newest.nextCursor}`)).json(),
    );
    expect(older.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(older.messages[0]!.content).toBe('question 0');
    expect(older.nextCursor).toBeNull();
  });

  it("answers 404 for another user's chat on every route", async () => {
    const chat = await newChat(alice, 'Private');
    await post(alice, chat.id, 'hello', 'private-1');
    await t.runtime.agent.idle();
    const attempts = [
      bob.fetch('GET', `/api/chats/${chat.id}`),
      bob.fetch('PATCH', `/api/chats/${chat.id}`, { body: { title: 'mine now' } }),
      bob.fetch('DELETE', `/api/chats/${chat.id}`),
      bob.fetch('GET', `/api/chats/${chat.id}/messages`),
      post(bob, chat.id, 'hi', 'steal-1'),
      bob.fetch('POST', `/api/chats/${chat.id}/stop`),
      bob.fetch('POST', `/api/chats/${chat.id}/regenerate`),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(404);
      expect(await errorCode(response)).toBe('chat.not_found');
    }
    const list = listChatsResponseSchema.parse(await (await bob.fetch('GET', '/api/chats')).json());
    expect(list.chats.map((c) => c.id)).not.toContain(chat.id);
    expect(chatResponseSchema.parse(await (await alice.fetch('GET', `/api/chats/${chat.id}`)).json()).chat.title).toBe(
      'Private',
    );
  });

  it('requires a signed-in user with chat access, and valid input', async () => {
    expect((await new Browser(t).fetch('GET', '/api/chats')).status).toBe(401);
    const bad = await alice.fetch('POST', '/api/chats', { body: { title: '' } });
    expect(bad.status).toBe(400);
    expect((await alice.fetch('GET', '/api/chats/not-a-uuid')).status).toBe(400);
    const chat = await newChat(alice);
    expect((await post(alice, chat.id, '   ', 'blank')).status).toBe(400);
    expect((await post(alice, chat.id, 'x'.repeat(20_001), 'huge')).status).toBe(400);
  });
});

describe('posting messages', () => {
  it('requires an Idempotency-Key', async () => {
    const chat = await newChat(alice);
    const response = await alice.fetch('POST', `/api/chats/${chat.id}/messages`, { body: { content: 'hi' } });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe('request.idempotency_key_required');
    const tooLong = await post(alice, chat.id, 'hi', 'k'.repeat(201));
    expect(tooLong.status).toBe(400);
  });

  it('returns the same message for a retry with the same key, never a duplicate', async () => {
    const chat = await newChat(alice);
    const first = await post(alice, chat.id, 'Where is my parcel?', 'retry-1');
    expect(first.status).toBe(201);
    const created = postMessageResponseSchema.parse(await first.json());
    await t.runtime.agent.idle();
    const again = await post(alice, chat.id, 'Where is my parcel?', 'retry-1');
    expect(again.status).toBe(200);
    const repeated = postMessageResponseSchema.parse(await again.json());
    expect(repeated.message.id).toBe(created.message.id);
    expect(repeated.answer.id).toBe(created.answer.id);
    const messages = listMessagesResponseSchema.parse(
      await (await alice.fetch('GET', `/api/chats/${chat.id}/messages`)).json(),
    ).messages;
    expect(messages).toHaveLength(2);
    // The key comes back on the user message (the client matches its optimistic copy by it), never on the answer.
    for (const [message, answer] of [
      [created.message, created.answer],
      [repeated.message, repeated.answer],
      messages,
    ]) {
      expect([message!.clientKey, answer!.clientKey]).toEqual(['retry-1', null]);
    }
  });

  it('refuses a used key with a different text (422), and stores nothing', async () => {
    const chat = await newChat(alice);
    expect((await post(alice, chat.id, 'Where is my parcel?', 'reused-1')).status).toBe(201);
    await t.runtime.agent.idle();
    const other = await post(alice, chat.id, 'Cancel my order', 'reused-1');
    expect(other.status).toBe(422);
    expect(await errorCode(other)).toBe('request.idempotency_key_reused');
    const messages = listMessagesResponseSchema.parse(
      await (await alice.fetch('GET', `/api/chats/${chat.id}/messages`)).json(),
    ).messages;
    expect(messages.map((m) => m.content.slice(0, 19))).toEqual(['Where is my parcel?', expect.any(String)]);
    expect(messages).toHaveLength(2);
  });

  it('stores one message when retries with one key race', async () => {
    const chat = await newChat(alice);
    const responses = await Promise.all(Array.from({ length: 5 }, () => post(alice, chat.id, 'race', 'race-1')));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const bodies = await Promise.all(responses.map(async (r) => postMessageResponseSchema.parse(await r.json())));
    expect(new Set(bodies.map((b) => b.message.id)).size).toBe(1);
    await t.runtime.agent.idle();
    const messages = listMessagesResponseSchema.parse(
      await (await alice.fetch('GET', `/api/chats/${chat.id}/messages`)).json(),
    ).messages;
    expect(messages.filter((m) => m.role === 'user')).toHaveLength(1);
  });

  it('answers in retrieval-only mode when no model is configured, saying so plainly', async () => {
    const chat = await newChat(alice);
    const posted = postMessageResponseSchema.parse(
      await (await post(alice, chat.id, 'How do refunds work?', 'ro-1')).json(),
    );
    expect(posted.message.status).toBe('complete');
    expect(posted.answer.status).toBe('pending');
    await t.runtime.agent.idle();
    const [, answer] = listMessagesResponseSchema.parse(
      await (await alice.fetch('GET', `/api/chats/${chat.id}/messages`)).json(),
    ).messages;
    expect(answer).toMatchObject({ status: 'complete', mode: 'retrieval_only', model: null });
    expect(answer!.content).toMatch(/no language model is configured/i);
    expect(answer!.content).toMatch(/found nothing relevant in the knowledge base/);
    expect(answer!.content).not.toMatch(/no documents/);
    const status = await (await alice.fetch('GET', '/api/agent')).json();
    expect(status).toEqual({ mode: 'retrieval_only', model: null, breaker: 'closed' });
  });

  it('regenerates the last answer, keeping the old one', async () => {
    const chat = await newChat(alice);
    expect(await errorCode(await alice.fetch('POST', `/api/chats/${chat.id}/regenerate`))).toBe(
      'chat.nothing_to_answer',
    );
    await post(alice, chat.id, 'Tell me again', 'regen-1');
    await t.runtime.agent.idle();
    const response = await alice.fetch('POST', `/api/chats/${chat.id}/regenerate`);
    expect(response.status).toBe(201);
    const { answer } = answerResponseSchema.parse(await response.json());
    await t.runtime.agent.idle();
    const messages = listMessagesResponseSchema.parse(
      await (await alice.fetch('GET', `/api/chats/${chat.id}/messages`)).json(),
    ).messages;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'assistant']);
    expect(messages[2]!.id).toBe(answer.id);
    expect(messages[2]!.status).toBe('complete');
  });

  it('refuses stop when nothing runs', async () => {
    const chat = await newChat(alice);
    const response = await alice.fetch('POST', `/api/chats/${chat.id}/stop`);
    expect(response.status).toBe(409);
    expect(await errorCode(response)).toBe('chat.no_running_answer');
  });
});
