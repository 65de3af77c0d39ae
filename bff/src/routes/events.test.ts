import { chatResponseSchema, listMessagesResponseSchema } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendUserEvent, appendUserEvents, publishBroadcast, readHeads, withEvents } from '../realtime/event-log.js';
import { maxReplayEvents } from '../realtime/sse.js';
import { Browser } from '../testing/browser.js';
import { type ScriptedLlm, startScriptedLlm } from '../testing/scripted-llm.js';
import { SseReader } from '../testing/sse-reader.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
let llm: ScriptedLlm;

beforeAll(async () => {
  llm = await startScriptedLlm();
  t = await createTestApp({
    // Deltas stored every 200 ms rather than 2 s: a reload finds them stored sooner.
    env: { OPENAI_BASE_URL: llm.url, ATRIUM_ANSWER_PERSIST_MS: '200' },
    chat: { sse: { heartbeatMs: 50 } },
  });
});
afterAll(async () => {
  await t.close();
  await llm.close();
});

async function signedIn(email: string) {
  await t.createUser({ email });
  const browser = new Browser(t);
  await browser.signIn(email, testPassword);
  return browser;
}

async function open(browser: Browser, cursor?: string, via: 'header' | 'query' = 'header') {
  const path = cursor && via === 'query' ? `/api/events?since=${cursor}` : '/api/events';
  const headers: Record<string, string> = cursor && via === 'header' ? { 'Last-Event-ID': cursor } : {};
  const response = await browser.fetch('GET', path, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = new SseReader(response.body!);
  const replayed = await reader.untilComment('live');
  return { reader, replayed };
}

const createChat = async (browser: Browser, title: string) =>
  chatResponseSchema.parse(await (await browser.fetch('POST', '/api/chats', { body: { title } })).json()).chat;

const eventDeps = () => ({ db: t.db, bus: t.runtime.bus, clock: t.clock });

describe('GET /api/events', () => {
  it('replays a half-written answer to a reloaded tab, then continues it live, exactly once', async () => {
    const alice = await signedIn('reload@example.com');
    const tab = await open(alice);
    const chat = await createChat(alice, 'Reload');
    llm.enqueue({
      steps: [
        // Whole words: the output guardrail holds back a word until it ends (it could become a key).
        { text: 'Hello ' },
        { text: 'there ' },
        { hold: 'reload' },
        { text: 'world' },
        { usage: { prompt: 5, completion: 3 } },
      ],
    });
    await alice.fetch('POST', `/api/chats/${chat.id}/messages`, {
      body: { content: 'Say hello' },
      headers: { 'Idempotency-Key': 'reload-1' },
    });
    await llm.reached('reload');
    // The text before the hold comes as two deltas (the first at once, the rest in its batch), each
    // shown live (no id); their logged copies follow within ATRIUM_ANSWER_PERSIST_MS as id-only frames.
    const before = await tab.reader.until((e) => e.type === 'message.delta');
    const firstCursor = before.at(-1)!.id;
    let shown = '';
    for (let next = before.at(-1)!; ; next = (await tab.reader.until((e) => e.type === 'message.delta')).at(-1)!) {
      expect(next.live).toBe(true);
      shown += next.event.type === 'message.delta' ? next.event.text : '';
      if (shown.length >= 'Hello there '.length) break;
    }
    expect(shown).toBe('Hello there ');

    // What a reloaded page reads over REST once the deltas are stored: the text so far and the last delta in it.
    const read = async () =>
      listMessagesResponseSchema.parse(await (await alice.fetch('GET', `/api/chats/${chat.id}/messages`)).json())
        .messages;
    let loaded = await read();
    while (loaded.at(-1)?.deltaSeq !== 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      loaded = await read();
    }
    expect(loaded.map((m) => [m.role, m.content, m.deltaSeq])).toEqual([
      ['user', 'Say hello', null],
      ['assistant', 'Hello there ', 1],
    ]);

    // A reload: a new connection resuming from the last id the first tab had before the deltas.
    const reloaded = await open(alice, firstCursor);
    const replayedTypes = reloaded.replayed.map((r) => r.event.type);
    expect(replayedTypes).toContain('message.delta');
    const textSoFar = reloaded.replayed
      .map((r) => r.event)
      .filter((e) => e.type === 'message.delta')
      .map((e) => (e.type === 'message.delta' ? e.text : ''))
      .join('');
    expect(textSoFar).toBe('Hello there ');

    llm.release('reload');
    for (const tabReader of [tab.reader, reloaded.reader]) {
      const rest = await tabReader.until((e) => e.type === 'message.updated' && e.message.status === 'complete');
      // The rest arrives once: live, its logged copy only moving the cursor on.
      const restText = rest.map((r) => (r.event.type === 'message.delta' ? r.event.text : '')).join('');
      expect(restText).toBe('world');
      const final = rest.at(-1)!;
      expect(final.event.type === 'message.updated' && final.event.message).toMatchObject({
        status: 'complete',
        content: 'Hello there world',
        deltaSeq: 2,
        promptTokens: 5,
        completionTokens: 3,
      });
      expect(final.live).toBe(false);
    }
    const ids = [...reloaded.replayed.map((r) => r.id)];
    expect(new Set(ids).size).toBe(ids.length);
    await tab.reader.close();
    await reloaded.reader.close();
  });

  it('replays events stored at the same time in seq order, none dropped', async () => {
    const user = await signedIn('same-time@example.com');
    const tab = await open(user);
    // The manual clock stands still: every event below has the same time, as one transaction's do.
    for (let i = 0; i < 12; i++) await createChat(user, `Chat ${i}`);
    const first = await tab.reader.nextEvent();
    const reloaded = await open(user, first!.id);
    const seqs = reloaded.replayed.map((r) => Number(r.id.split('.')[0]));
    expect(seqs).toEqual(Array.from({ length: 11 }, (_, i) => Number(first!.id.split('.')[0]) + 1 + i));
    await tab.reader.close();
    await reloaded.reader.close();
  });

  it('starts a fresh connection at the current heads and shows a change in every tab', async () => {
    const user = await signedIn('tabs@example.com');
    await createChat(user, 'Before');
    const first = await open(user);
    const second = await open(user, undefined);
    expect(first.replayed).toEqual([]);
    const chat = await createChat(user, 'After');
    for (const tab of [first, second]) {
      const next = await tab.reader.nextEvent();
      expect(next!.event).toEqual({ type: 'chat.created', chat });
      expect(next!.id).toMatch(/^\d+\.\d+$/);
    }
    await first.reader.close();
    await second.reader.close();
  });

  it('accepts the cursor as ?since= and refuses a malformed one', async () => {
    const user = await signedIn('cursor@example.com');
    const live = await open(user);
    await createChat(user, 'One');
    const one = await live.reader.nextEvent();
    await createChat(user, 'Two');
    const resumed = await open(user, one!.id, 'query');
    expect(resumed.replayed.map((r) => r.event.type === 'chat.created' && r.event.chat.title)).toEqual(['Two']);
    for (const bad of ['abc', '1', '1.2.3', '-1.0']) {
      const response = await user.fetch('GET', '/api/events', { headers: { 'Last-Event-ID': bad } });
      expect(response.status).toBe(400);
    }
    expect((await new Browser(t).fetch('GET', '/api/events')).status).toBe(401);
    await live.reader.close();
    await resumed.reader.close();
  });

  it("never delivers another user's events", async () => {
    const alice = await signedIn('private-a@example.com');
    const bob = await signedIn('private-b@example.com');
    const bobs = await open(bob, '0.0');
    await createChat(alice, 'Alice only');
    const mine = await createChat(bob, 'Bob only');
    const next = await bobs.reader.nextEvent();
    expect(next!.event).toEqual({ type: 'chat.created', chat: mine });
    await bobs.reader.close();
  });

  it('fills a gap from the log when a live event arrives past a missed one', async () => {
    const user = await signedIn('gap@example.com');
    const me = (await t.db.query.users.findFirst({ where: (u, { eq }) => eq(u.email, 'gap@example.com') }))!;
    const tab = await open(user);
    // Stored but never published: a lost bus message.
    await t.db.transaction((tx) => appendUserEvent(tx, me.id, { type: 'chat.deleted', chatId: 'lost' }, t.clock.now()));
    await withEvents(eventDeps(), (_tx, emit) => emit.toUser(me.id, { type: 'chat.deleted', chatId: 'seen' }));
    const first = await tab.reader.nextEvent();
    const second = await tab.reader.nextEvent();
    expect([first!.event, second!.event]).toEqual([
      { type: 'chat.deleted', chatId: 'lost' },
      { type: 'chat.deleted', chatId: 'seen' },
    ]);
    await tab.reader.close();
  });

  it('tells a reconnect from before the retained events to resync, then goes on from what is kept', async () => {
    const user = await signedIn('retained@example.com');
    const me = (await t.db.query.users.findFirst({ where: (u, { eq }) => eq(u.email, 'retained@example.com') }))!;
    const longAgo = new Date(t.clock.now().getTime() - 30 * 3_600_000);
    for (const chatId of ['a', 'b', 'c']) {
      await t.db.transaction((tx) => appendUserEvent(tx, me.id, { type: 'chat.deleted', chatId }, longAgo));
    }
    const kept = await createChat(user, 'Kept');
    expect(await t.runtime.sweeper.trimEvents()).toBe(3);

    const { broadcast } = await readHeads(t.db, me.id);
    const stale = await open(user, `1.${broadcast}`);
    expect(stale.replayed).toEqual([
      { id: `3.${broadcast}`, event: { type: 'resync' }, live: false },
      { id: `4.${broadcast}`, event: { type: 'chat.created', chat: kept }, live: false },
    ]);
    const current = await open(user, `3.${broadcast}`);
    expect(current.replayed.map((r) => r.event.type)).toEqual(['chat.created']);
    const later = await createChat(user, 'Later');
    for (const tab of [stale, current]) {
      expect((await tab.reader.nextEvent())!.event).toEqual({ type: 'chat.created', chat: later });
      await tab.reader.close();
    }
  });

  it(`tells a reconnect more than ${maxReplayEvents} events behind to resync instead of replaying them`, async () => {
    const user = await signedIn('far-behind@example.com');
    const me = (await t.db.query.users.findFirst({ where: (u, { eq }) => eq(u.email, 'far-behind@example.com') }))!;
    const events = Array.from({ length: maxReplayEvents + 1 }, (_, i) => ({
      type: 'chat.deleted' as const,
      chatId: `gone-${i}`,
    }));
    await t.db.transaction((tx) => appendUserEvents(tx, me.id, events, t.clock.now()));
    const { user: head, broadcast } = await readHeads(t.db, me.id);
    // A forged cursor at the start of the log, and a real one just past the limit: neither is replayed.
    for (const cursor of [`0.${broadcast}`, `${head - maxReplayEvents - 1}.${broadcast}`]) {
      const far = await open(user, cursor);
      expect(far.replayed).toEqual([{ id: `${head}.${broadcast}`, event: { type: 'resync' }, live: false }]);
      await far.reader.close();
    }
    // At the limit, every event is replayed.
    const near = await open(user, `${head - maxReplayEvents}.${broadcast}`);
    expect(near.replayed).toHaveLength(maxReplayEvents);
    expect(near.replayed.at(-1)!.id).toBe(`${head}.${broadcast}`);
    await near.reader.close();
  });

  it('delivers broadcast events to everyone, with the broadcast seq in the id', async () => {
    const a = await open(await signedIn('bcast-a@example.com'));
    const b = await open(await signedIn('bcast-b@example.com'));
    await publishBroadcast(eventDeps(), { type: 'release.changed', remote: 'chat-core', reason: 'promoted 1.2.0' });
    for (const tab of [a, b]) {
      const next = await tab.reader.nextEvent();
      expect(next!.event).toEqual({ type: 'release.changed', remote: 'chat-core', reason: 'promoted 1.2.0' });
      expect(Number(next!.id.split('.')[1])).toBeGreaterThan(0);
      await tab.reader.close();
    }
  });

  it('names where a fresh stream starts, so a reconnect before any event resumes there, not at the head', async () => {
    const user = await signedIn('fresh-start@example.com');
    const me = (await t.db.query.users.findFirst({ where: (u, { eq }) => eq(u.email, 'fresh-start@example.com') }))!;
    const heads = await readHeads(t.db, me.id);
    const response = await user.fetch('GET', '/api/events');
    const reader = new SseReader(response.body!);
    expect(await reader.next()).toMatchObject({ id: `${heads.user}.${heads.broadcast}` });
    await reader.close();
    // Something happens while the tab is disconnected; its reconnect sends the id it was given.
    const chat = await createChat(user, 'While away');
    const back = await open(user, reader.lastEventId!);
    expect(back.replayed.map((r) => r.event)).toContainEqual({ type: 'chat.created', chat });
    await back.reader.close();
  });

  it('sends a retry hint and heartbeats', async () => {
    const user = await signedIn('ping@example.com');
    const response = await user.fetch('GET', '/api/events');
    const reader = new SseReader(response.body!);
    expect((await reader.next())!.retry).toBeGreaterThan(0);
    for (;;) {
      const frame = await reader.next();
      if (frame?.comment === 'ping') break;
    }
    await reader.close();
  });
});

describe('the stream ends with its session', () => {
  it('on sign-out', async () => {
    const user = await signedIn('out@example.com');
    const tab = await open(user);
    await user.fetch('POST', '/api/auth/sign-out');
    expect((await tab.reader.nextEvent())!.event).toEqual({ type: 'session.ended', reason: 'signed_out' });
    expect(await tab.reader.next()).toBeNull();
  });

  it('on revocation from another device, leaving the revoking device connected', async () => {
    const laptop = await signedIn('revoke@example.com');
    const phone = new Browser(t);
    await phone.signIn('revoke@example.com', testPassword);
    const phoneTab = await open(phone);
    const laptopTab = await open(laptop);
    const sessions = (await (await laptop.fetch('GET', '/api/account/sessions')).json()) as {
      sessions: { id: string; current: boolean }[];
    };
    const other = sessions.sessions.find((s) => !s.current)!;
    await laptop.fetch('DELETE', `/api/account/sessions/${other.id}`);
    expect((await phoneTab.reader.nextEvent())!.event).toEqual({ type: 'session.ended', reason: 'revoked' });
    expect(await phoneTab.reader.next()).toBeNull();
    const chat = await createChat(laptop, 'still here');
    expect((await laptopTab.reader.nextEvent())!.event).toEqual({ type: 'chat.created', chat });
    await laptopTab.reader.close();
  });

  it('on a role change', async () => {
    await t.createUser({ email: 'boss@example.com', role: 'admin' });
    const admin = new Browser(t);
    await admin.signIn('boss@example.com', testPassword);
    const user = await signedIn('promoted@example.com');
    const tab = await open(user);
    const me = (await t.db.query.users.findFirst({ where: (u, { eq }) => eq(u.email, 'promoted@example.com') }))!;
    await admin.fetch('PATCH', `/api/users/${me.id}`, { body: { role: 'agent_l1' } });
    expect((await tab.reader.nextEvent())!.event).toEqual({ type: 'session.ended', reason: 'role_changed' });
    expect(await tab.reader.next()).toBeNull();
    await admin.fetch('POST', '/api/auth/sign-out');
  });

  it('when the session times out', async () => {
    const user = await signedIn('idle@example.com');
    const tab = await open(user);
    t.clock.advance(61 * 60_000);
    await t.runtime.sse.checkSessions();
    expect((await tab.reader.nextEvent())!.event).toEqual({ type: 'session.ended', reason: 'expired' });
    expect(await tab.reader.next()).toBeNull();
  });
});
