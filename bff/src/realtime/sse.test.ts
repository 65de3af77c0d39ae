import http from 'node:http';
import net from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerLifecycle } from '../agent/answer-lifecycle.js';
import { chats, messages } from '../db/schema/index.js';
import { Browser } from '../testing/browser.js';
import { SseReader } from '../testing/sse-reader.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';
import { userChannel } from './bus.js';
import { appendUserEvents, type LoggedEvent, publishBroadcast, withEvents } from './event-log.js';
import { eventData, maxLiveRuns, maxReplayEvents } from './sse.js';

// The direct-write path runs only under a node server (`c.env.outgoing`): these tests serve the
// real app over loopback; events.test.ts covers the same behaviour through `app.request`.
let t: TestApp;
let server: ReturnType<typeof serve>;
let base: string;

beforeAll(async () => {
  t = await createTestApp({ chat: { sse: { heartbeatMs: 50 } } });
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}, 180_000);
afterAll(async () => {
  server?.close();
  await t?.close();
});

const browsers = new Map<string, Browser>();

async function cookieOf(email: string): Promise<string> {
  return (await signedIn(email)).cookie;
}

async function signedIn(email: string): Promise<{ cookie: string; userId: string }> {
  const user = await t.createUser({ email });
  const browser = new Browser(t);
  await browser.signIn(email, testPassword);
  const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  browsers.set(cookie, browser);
  return { cookie, userId: user.id };
}

async function open(cookie: string, lastEventId?: string) {
  const response = await fetch(`${base}/api/events`, {
    headers: { Cookie: cookie, ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) },
  });
  const reader = new SseReader(response.body!);
  const replayed = response.status === 200 ? await reader.untilComment('live') : [];
  return { response, reader, replayed };
}

const broadcast = (reason: string) =>
  publishBroadcast(
    { db: t.db, bus: t.runtime.bus, clock: t.clock },
    { type: 'release.changed', remote: 'admin', reason },
  );

const until = async (check: () => boolean) => {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(check()).toBe(true);
};

describe('event stream written straight to the node response', { timeout: 60_000 }, () => {
  it('sends the stream headers and those the middleware adds, uncompressed', async () => {
    const cookie = await cookieOf('headers@example.com');
    const { response, reader } = await open(cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('x-hono-already-sent')).toBeNull();
    await reader.close();
  });

  it('frames the stream for the HTTP version the client speaks: chunked on 1.1, to the close on 1.0', async () => {
    const cookie = await cookieOf('http10@example.com');
    const head = async (version: string) => {
      const socket = net.connect(Number(new URL(base).port), '127.0.0.1');
      socket.write(`GET /api/events ${version}\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\n\r\n`);
      let text = '';
      for await (const chunk of socket) {
        text += chunk.toString();
        if (text.includes('\r\n\r\n') && text.includes('retry:')) break;
      }
      socket.destroy();
      const [headers = '', body = ''] = text.split('\r\n\r\n');
      return { headers: headers.toLowerCase(), body };
    };
    const modern = await head('HTTP/1.1');
    expect(modern.headers).toContain('transfer-encoding: chunked');
    expect(modern.headers).toContain('connection: keep-alive');
    const old = await head('HTTP/1.0');
    expect(old.headers).toMatch(/^http\/1\.1 200/);
    expect(old.headers).not.toContain('transfer-encoding');
    expect(old.headers).not.toContain('keep-alive');
    // No chunk-size line: the event text starts the body.
    expect(old.body.startsWith('retry: ')).toBe(true);
  });

  it('refuses a signed-out request with the usual 401, not a stream', async () => {
    const response = await fetch(`${base}/api/events`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/json/);
  });

  it('gives every connection the same data line of a broadcast, each with its own id', async () => {
    const [a, b] = [
      await open(await cookieOf('share-a@example.com')),
      await open(await cookieOf('share-b@example.com')),
    ];
    await broadcast('shared');
    const [fa, fb] = [await a.reader.nextEvent(), await b.reader.nextEvent()];
    expect(fa!.event).toEqual({ type: 'release.changed', remote: 'admin', reason: 'shared' });
    expect(fb!.event).toEqual(fa!.event);
    expect(fa!.id).toMatch(/^\d+\.\d+$/);
    expect(fa!.id.split('.')[1]).toBe(fb!.id.split('.')[1]);
    await a.reader.close();
    await b.reader.close();
  });

  it('serializes an event once, and the shared text is what a per-connection JSON.stringify gave', () => {
    const event = { type: 'release.changed', remote: 'admin', reason: 'once "quoted"\nline' } as const;
    const first = eventData(event);
    expect(first).toBe(`data: ${JSON.stringify(event)}\n\n`);
    expect(eventData(event)).toBe(first);
    expect(eventData({ ...event })).toBe(first);
  });

  it('replays what a reconnecting tab missed after its Last-Event-ID, then goes on live', async () => {
    const cookie = await cookieOf('replay@example.com');
    const first = await open(cookie);
    await broadcast('before drop');
    const seen = await first.reader.nextEvent();
    await first.reader.close();
    await broadcast('while away 1');
    await broadcast('while away 2');
    const again = await open(cookie, seen!.id);
    expect(again.replayed.map((e) => e.event)).toEqual([
      { type: 'release.changed', remote: 'admin', reason: 'while away 1' },
      { type: 'release.changed', remote: 'admin', reason: 'while away 2' },
    ]);
    await broadcast('live again');
    expect((await again.reader.nextEvent())!.event).toMatchObject({ reason: 'live again' });
    await again.reader.close();
  });

  it('writes a live delta with no id, its logged copy id-only, and a delta it never sent live in full', async () => {
    const { cookie, userId } = await signedIn('live@example.com');
    const now = t.clock.now();
    const [chat] = await t.db.insert(chats).values({ userId, createdAt: now, updatedAt: now }).returning();
    const [answer] = await t.db
      .insert(messages)
      .values({ chatId: chat!.id, userId, role: 'assistant', status: 'retrieving', createdAt: now, updatedAt: now })
      .returning();
    const ref = { userId, chatId: chat!.id, answerId: answer!.id };
    const life = createAnswerLifecycle({ db: t.db, bus: t.runtime.bus, clock: t.clock, leaseMs: 60_000 });
    const { reader } = await open(cookie);
    const frames = (count: number) => reader.nextFrames(count);
    const delta = (seq: number, text: string) =>
      JSON.stringify({ type: 'message.delta', chatId: chat!.id, messageId: answer!.id, seq, text });
    const start = Number(reader.lastEventId!.split('.')[0]);
    const cursor = (n: number) => `${start + n}.${reader.lastEventId!.split('.')[1]}`;

    await life.showDelta(ref, 0, 'a');
    await life.showDelta(ref, 1, 'b');
    expect(await frames(2)).toEqual([{ data: delta(0, 'a') }, { data: delta(1, 'b') }]);
    expect(
      await life.appendDeltas(ref, [
        { seq: 0, text: 'a' },
        { seq: 1, text: 'b' },
        { seq: 2, text: 'c' },
      ]),
    ).toBe(true);
    // One log row for the batch. Sent live (0, 1): not again. Never sent live (2): in full, and
    // the row's id with it.
    expect(await frames(1)).toEqual([{ id: cursor(1), data: delta(2, 'c') }]);

    // Live delta 4 lost on the way: 5 starts a new live run, so the logged 4 still goes out in full
    // (and 3, outside the run now, again: the client ignores a delta seq it has applied). The id
    // goes on the batch's last frame only: a stream cut inside it resumes with the whole batch.
    await life.showDelta(ref, 3, 'd');
    await life.showDelta(ref, 5, 'f');
    expect(await frames(2)).toEqual([{ data: delta(3, 'd') }, { data: delta(5, 'f') }]);
    expect(
      await life.appendDeltas(ref, [
        { seq: 3, text: 'd' },
        { seq: 4, text: 'e' },
        { seq: 5, text: 'f' },
      ]),
    ).toBe(true);
    expect(await frames(2)).toEqual([{ data: delta(3, 'd') }, { id: cursor(2), data: delta(4, 'e') }]);

    // A batch this stream sent all of live: its id alone.
    await life.showDelta(ref, 6, 'g');
    expect(await frames(1)).toEqual([{ data: delta(6, 'g') }]);
    expect(await life.appendDeltas(ref, [{ seq: 6, text: 'g' }])).toBe(true);
    expect(await frames(1)).toEqual([{ id: cursor(3) }]);
    expect(reader.lastEventId).toBe(cursor(3));
    await reader.close();

    // A tab that reconnects from before the answer gets each stored batch as its deltas, in order.
    const again = await open(cookie, cursor(0));
    expect(again.replayed.map((e) => [e.live ? null : e.id, e.event])).toEqual(
      ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((text, seq) => [
        seq === 2 ? cursor(1) : seq === 5 ? cursor(2) : seq === 6 ? cursor(3) : null,
        JSON.parse(delta(seq, text)),
      ]),
    );
    await again.reader.close();
  });

  it('fills a gap in what the bus delivered from the log, up to the replay cap; past it, resync', async () => {
    const { cookie, userId } = await signedIn('gap@example.com');
    const { reader } = await open(cookie);
    const [, broadcastHead] = reader.lastEventId!.split('.');
    const start = Number(reader.lastEventId!.split('.')[0]);
    const chatDeleted = (n: number) => ({ type: 'chat.deleted', chatId: `gone-${n}` }) as const;
    // Events written to the log without being published (as when a bus message is lost), then one published.
    const missed = (count: number, from: number) =>
      t.db.transaction((tx) =>
        appendUserEvents(
          tx,
          userId,
          Array.from({ length: count }, (_, i) => chatDeleted(from + i)),
          t.clock.now(),
        ),
      );
    const publish = (n: number) =>
      withEvents({ db: t.db, bus: t.runtime.bus, clock: t.clock }, (_tx, emit) => emit.toUser(userId, chatDeleted(n)));

    await missed(3, 1);
    await publish(4);
    const filled = await reader.until((e) => e.type === 'chat.deleted' && e.chatId === 'gone-4');
    expect(filled.map((e) => [e.id, e.event])).toEqual(
      [1, 2, 3, 4].map((n) => [`${start + n}.${broadcastHead}`, chatDeleted(n)]),
    );

    // Further behind than a reconnect may replay: resync (reload what you show), not 1,001 events.
    await missed(maxReplayEvents + 1, 5);
    const head = start + 4 + maxReplayEvents + 2;
    await publish(head - start);
    const afterCap = await reader.until((e) => e.type === 'chat.deleted');
    expect(afterCap.map((e) => [e.id, e.event])).toEqual([
      [`${head - 1}.${broadcastHead}`, { type: 'resync' }],
      [`${head}.${broadcastHead}`, chatDeleted(head - start)],
    ]);
    await reader.close();
  });

  it('forgets the live deltas of a deleted chat, and of the oldest answers past maxLiveRuns (their logged copies go out in full)', async () => {
    const { cookie, userId } = await signedIn('forget@example.com');
    const { reader } = await open(cookie);
    const frames = (count: number) => reader.nextFrames(count);
    const delta = (chatId: string, messageId: string) =>
      ({ type: 'message.delta', chatId, messageId, seq: 0, text: 'x' }) as const;
    const live = (chatId: string, messageId: string) =>
      t.runtime.bus.publish(userChannel(userId), { kind: 'live-event', userId, event: delta(chatId, messageId) });
    const log = (...events: LoggedEvent[]) =>
      withEvents({ db: t.db, bus: t.runtime.bus, clock: t.clock }, async (_tx, emit) => {
        for (const event of events) await emit.toUser(userId, event);
      });
    const batch = (chatId: string, messageId: string): LoggedEvent => ({
      type: 'message.deltas',
      chatId,
      messageId,
      deltas: [{ seq: 0, text: 'x' }],
    });

    // Answer a1 of chat c1 shown live; c1 is deleted; a1's logged delta then goes out in full.
    await live('c1', 'a1');
    await live('c2', 'a2');
    await frames(2);
    await log({ type: 'chat.deleted', chatId: 'c1' }, batch('c1', 'a1'), batch('c2', 'a2'));
    const [deleted, a1, a2] = await frames(3);
    expect(JSON.parse(deleted!.data!)).toEqual({ type: 'chat.deleted', chatId: 'c1' });
    expect(JSON.parse(a1!.data!)).toEqual(delta('c1', 'a1'));
    expect(a2).toEqual({ id: a2!.id });

    // maxLiveRuns + 1 answers shown live: the first is forgotten, the last is still known.
    for (let n = 0; n <= maxLiveRuns; n++) await live('c3', `b${n}`);
    await frames(maxLiveRuns + 1);
    await log(batch('c3', 'b0'), batch('c3', `b${maxLiveRuns}`));
    const [first, last] = await frames(2);
    expect(JSON.parse(first!.data!)).toEqual(delta('c3', 'b0'));
    expect(last).toEqual({ id: last!.id });
    await reader.close();
  });

  it('sends heartbeats', async () => {
    const { reader } = await open(await cookieOf('ping@example.com'));
    expect(await reader.next()).toEqual({ comment: 'ping' });
    await reader.close();
  });

  it('forgets a client that disconnects mid-broadcast; the others still get every event', async () => {
    const stays = await open(await cookieOf('stays@example.com'));
    const leaves = await open(await cookieOf('leaves@example.com'));
    const count = t.runtime.sse.connectionCount();
    const sent = broadcast('as one leaves');
    await leaves.reader.close();
    await sent;
    await broadcast('after');
    const got = [(await stays.reader.nextEvent())!.event, (await stays.reader.nextEvent())!.event];
    expect(got.map((e) => (e.type === 'release.changed' ? e.reason : e.type))).toEqual(['as one leaves', 'after']);
    await until(() => t.runtime.sse.connectionCount() === count - 1);
    await stays.reader.close();
  });

  it('lets a slow client fall behind without holding up the others, and gives it everything in order', async () => {
    const cookie = await cookieOf('slow@example.com');
    const fast = await open(await cookieOf('fast@example.com'));
    // A client that stops reading once the stream is live: the socket buffers fill up.
    let slowText = '';
    let paused: http.IncomingMessage | null = null;
    const live = new Promise<void>((resolve) => {
      http.get(`${base}/api/events`, { headers: { Cookie: cookie } }, (response) => {
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          slowText += chunk;
          if (!paused && slowText.includes(': live')) {
            paused = response;
            response.pause();
            resolve();
          }
        });
      });
    });
    await live;
    const big = 'x'.repeat(256 * 1024);
    for (let i = 0; i < 8; i++) await broadcast(`${i} ${big}`);
    for (let i = 0; i < 8; i++) {
      const next = await fast.reader.until((e) => e.type === 'release.changed');
      expect(next.at(-1)!.event).toMatchObject({ reason: `${i} ${big}` });
    }
    expect(slowText.includes(`7 ${big}`)).toBe(false);
    paused!.resume();
    await until(() => slowText.includes(`7 ${big}`));
    const reasons = [...slowText.matchAll(/"reason":"(\d) x/g)].map((m) => m[1]);
    expect(reasons).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    paused!.destroy();
    await fast.reader.close();
  });

  it('closes the stream of a revoked session after telling it why', async () => {
    const cookie = await cookieOf('revoked@example.com');
    const { reader } = await open(cookie);
    // Signed out in another tab (through the same app and hub).
    const signedOut = await browsers.get(cookie)!.fetch('POST', '/api/auth/sign-out');
    expect(signedOut.status).toBeLessThan(300);
    const ended = await reader.until((e) => e.type === 'session.ended');
    expect(ended.at(-1)!.event).toEqual({ type: 'session.ended', reason: 'signed_out' });
    expect(await reader.next()).toBeNull();
  });
});
