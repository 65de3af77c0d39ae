import {
  chatResponseSchema,
  listMessagesResponseSchema,
  type Message,
  postMessageResponseSchema,
  runningMessageStatuses,
  type ServerEvent,
  serverEventSchema,
} from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../testing/browser.js';
import { type BffProcess, createScratchDatabase, requireServices, startBff } from '../testing/multi-instance.js';
import { type ScriptedLlm, startScriptedLlm } from '../testing/scripted-llm.js';
import { SseReader } from '../testing/sse-reader.js';

/*
 * Two real BFF processes against one PostgreSQL and one Redis, the scripted server standing in
 * for the LLM provider. Every subscriber must see every event of its user exactly once, whichever
 * instance produced it, also across a reconnect after one instance is killed mid-answer.
 */

const origin = 'http://atrium.test';
const adminEmail = 'admin@atrium.test';
const adminPassword = 'a perfectly long admin password';
const messageCount = 1000;
const parallelChats = 20;

/** One tab: a real SSE connection that records every user-log seq (live events have none) and resumes with Last-Event-ID. */
class Subscriber {
  readonly seqs: number[] = [];
  readonly events: ServerEvent[] = [];
  private reader: SseReader | null = null;
  private waiters: { match: (e: ServerEvent) => boolean; resolve: () => void }[] = [];
  private reading: Promise<void> = Promise.resolve();
  ended = false;

  constructor(
    readonly name: string,
    private browser: Browser,
  ) {}

  async connect(browser = this.browser): Promise<void> {
    this.browser = browser;
    this.ended = false;
    const headers: Record<string, string> = this.reader?.lastEventId
      ? { 'Last-Event-ID': this.reader.lastEventId }
      : {};
    const response = await browser.fetch('GET', '/api/events', { headers });
    expect(response.status).toBe(200);
    const reader = new SseReader(response.body!);
    if (this.reader?.lastEventId) reader.lastEventId = this.reader.lastEventId;
    this.reader = reader;
    const replayed = await reader.untilComment('live');
    for (const r of replayed) this.record(r.live ? null : r.id, r.event);
    this.reading = (async () => {
      try {
        for (;;) {
          // Frame by frame: a live delta has no id (no seq), and its logged copy, once this tab
          // had it live, is an id alone (a seq, no event).
          const frame = await reader.next();
          if (!frame) break;
          const event = frame.data === undefined ? null : serverEventSchema.parse(JSON.parse(frame.data));
          this.record(frame.id ?? null, event);
        }
      } catch {
        // A killed instance resets the connection: treated like the end of the stream.
      }
      this.ended = true;
    })();
  }

  private record(id: string | null, event: ServerEvent | null): void {
    if (id !== null) this.seqs.push(Number(id.split('.')[0]));
    if (event) this.events.push(event);
    // An id alone moves only the seqs: waiters on them (the head) are checked against the last event again.
    const last = event ?? this.events.at(-1);
    if (!last) return;
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(last)) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves when an event matching arrives (or has arrived). */
  waitFor(match: (e: ServerEvent) => boolean): Promise<void> {
    if (this.events.some(match)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  async ended_(): Promise<void> {
    await this.reading;
  }

  async close(): Promise<void> {
    await this.reader?.close();
    await this.reading;
  }
}

const finalOf = (answerId: string) => (e: ServerEvent) =>
  e.type === 'message.updated' &&
  e.message.id === answerId &&
  !(runningMessageStatuses as readonly string[]).includes(e.message.status);

let llm: ScriptedLlm;
let dropDatabase: () => Promise<void>;
let a: BffProcess;
let b: BffProcess;

async function signIn(target: BffProcess): Promise<Browser> {
  const browser = new Browser(target.target as never, { origin });
  const response = await browser.signIn(adminEmail, adminPassword);
  expect(response.status).toBe(200);
  return browser;
}

beforeAll(async () => {
  const { databaseUrl, redisUrl } = requireServices();
  const scratch = await createScratchDatabase(databaseUrl);
  dropDatabase = scratch.drop;
  llm = await startScriptedLlm({
    steps: [
      { text: 'Thanks ' },
      { text: 'for ', delayMs: 2 },
      { text: 'asking.', delayMs: 2 },
      { usage: { prompt: 9, completion: 3 } },
    ],
  });
  const env = {
    DATABASE_URL: scratch.url,
    REDIS_URL: redisUrl,
    OPENAI_BASE_URL: llm.url,
    ATRIUM_ADMIN_EMAIL: adminEmail,
    ATRIUM_ADMIN_PASSWORD: adminPassword,
    ATRIUM_PUBLIC_ORIGIN: origin,
    ATRIUM_ANSWER_LEASE_MS: '1500',
    ATRIUM_SEED_LOCAL_REMOTES: 'false',
    LOG_LEVEL: 'warn',
  };
  // One after the other: the first start creates the administrator.
  a = await startBff(env);
  b = await startBff(env);
}, 120_000);

afterAll(async () => {
  await a?.kill();
  await b?.kill();
  await llm?.close();
  await dropDatabase?.();
});

describe('two BFF instances through Redis', () => {
  it(`delivers ${messageCount} messages' events to every subscriber exactly once, and converges after an instance dies mid-answer`, async () => {
    const onA = await signIn(a);
    const onB = await signIn(b);
    const subscribers = [
      new Subscriber('A1', onA),
      new Subscriber('A2', await signIn(a)),
      new Subscriber('B1', onB),
      new Subscriber('B2', await signIn(b)),
    ];
    for (const s of subscribers) await s.connect();
    const watcher = subscribers[2]!;

    const chats: string[] = [];
    for (let i = 0; i < parallelChats; i++) {
      const via = i % 2 === 0 ? onA : onB;
      const response = await via.fetch('POST', '/api/chats', { body: { title: `chat ${i}` } });
      chats.push(chatResponseSchema.parse(await response.json()).chat.id);
    }

    // Each chat takes one message at a time (one running answer per chat); chats run side by side.
    let sent = 0;
    await Promise.all(
      chats.map(async (chatId, c) => {
        for (let n = 0; n < messageCount / parallelChats; n++) {
          const via = (c + n) % 2 === 0 ? onA : onB;
          const response = await via.fetch('POST', `/api/chats/${chatId}/messages`, {
            body: { content: `message ${c}-${n}` },
            headers: { 'Idempotency-Key': `m-${c}-${n}` },
          });
          expect(response.status).toBe(201);
          const { answer } = postMessageResponseSchema.parse(await response.json());
          await watcher.waitFor(finalOf(answer.id));
          sent++;
        }
      }),
    );
    expect(sent).toBe(messageCount);

    // Mid-answer loss: instance A generates, the provider holds, A is killed.
    llm.enqueue({ steps: [{ text: 'This answer will ' }, { hold: 'killed' }, { text: 'never end.' }] });
    const doomed = await onA.fetch('POST', `/api/chats/${chats[0]}/messages`, {
      body: { content: 'last one' },
      headers: { 'Idempotency-Key': 'doomed' },
    });
    const { answer } = postMessageResponseSchema.parse(await doomed.json());
    await llm.reached('killed');
    for (const s of subscribers) {
      await s.waitFor((e) => e.type === 'message.delta' && e.messageId === answer.id);
    }
    // Text is shown live first and stored after (every ATRIUM_ANSWER_PERSIST_MS; the first delta at
    // once, but still after it was shown): a crash keeps only what was stored. Kill A once B reads
    // the whole shown text back from the database, so the test checks what a crash must keep.
    await expect
      .poll(
        async () => {
          const response = await onB.fetch('GET', `/api/chats/${chats[0]}/messages`);
          const page = listMessagesResponseSchema.parse(await response.json());
          return page.messages.find((m) => m.id === answer.id)?.content;
        },
        { timeout: 10_000, interval: 100 },
      )
      .toBe('This answer will ');
    await a.kill('SIGKILL');

    // Tabs on A lose their stream and reconnect to the survivor with Last-Event-ID.
    for (const s of subscribers.slice(0, 2)) {
      await s.ended_();
      await s.connect(await signIn(b));
    }
    for (const s of subscribers) await s.waitFor(finalOf(answer.id));

    const finals = subscribers.map((s) => {
      const event = s.events.findLast(finalOf(answer.id))!;
      return event.type === 'message.updated' ? event.message : null;
    });
    for (const final of finals) {
      expect(final).toMatchObject<Partial<Message>>({
        status: 'interrupted',
        content: 'This answer will ',
        error: { code: 'agent.interrupted', message: 'The answer was interrupted. Regenerate to try again.' },
      });
    }

    // Every subscriber saw the text A streamed (live through Redis on B's tabs), each delta seq with one text.
    for (const s of subscribers) {
      const texts = new Map<number, string>();
      for (const e of s.events) {
        if (e.type !== 'message.delta' || e.messageId !== answer.id) continue;
        expect(texts.get(e.seq) ?? e.text, `${s.name} delta ${e.seq}`).toBe(e.text);
        texts.set(e.seq, e.text);
      }
      expect([...texts.values()].join(''), `${s.name} text`).toBe('This answer will ');
    }

    // Every subscriber: the same gap-free run of seqs, none twice.
    const head = Math.max(...subscribers.map((s) => s.seqs.at(-1)!));
    for (const s of subscribers) {
      await s.waitFor(() => s.seqs.at(-1) === head);
      expect(new Set(s.seqs).size, `${s.name} duplicates`).toBe(s.seqs.length);
      const first = s.seqs[0]!;
      expect(s.seqs, `${s.name} gaps`).toEqual(Array.from({ length: head - first + 1 }, (_, i) => first + i));
      expect(s.events.filter((e) => e.type === 'message.created').length).toBeGreaterThanOrEqual(2 * messageCount);
    }
    llm.release('killed');
    for (const s of subscribers) await s.close();
  });
});
