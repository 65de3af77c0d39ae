import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { type AnswerLifecycle, createAnswerLifecycle, insertPendingAnswer } from '../bff/src/agent/answer-lifecycle.js';
import { createCircuitBreaker } from '../bff/src/agent/circuit-breaker.js';
import type { LlmChunk } from '../bff/src/agent/llm-client.js';
import { createTurnStreamer, progressFrom } from '../bff/src/agent/stream-turn.js';
import { systemClock } from '../bff/src/clock.js';
import { loadConfig } from '../bff/src/config.js';
import { type Database, type OpenDatabase, openDatabase, queryRows } from '../bff/src/db/index.js';
import { chats } from '../bff/src/db/schema/index.js';
import { createLogger } from '../bff/src/logger.js';
import { createInProcessBus } from '../bff/src/realtime/in-process-bus.js';
import { createUser } from '../bff/src/users/accounts.js';
import { flag, helpRequested, summary } from './harness.js';

if (
  !helpRequested(`
answer-writes — database time and bytes written to store one streamed answer, 4,000 tokens vs
  40 tokens (the baseline, same run), through the real stream path: stream-turn.ts's attempt
  (createTurnStreamer) over the real lifecycle (createAnswerLifecycle), fed by a model stand-in
  that paces tokens like a real model (--tokens-per-second), then the final move to complete with
  the whole text (as agent-loop.ts does). So the two cadences are the product's: every flush
  (50 ms) shown live on the bus, the deltas since the last persist stored in one transaction every
  persistMs (ATRIUM_ANSWER_PERSIST_MS, 2,000 ms), the first at once, the rest before the move.
  Time is scaled down by --scale to keep the run short: flush, persist and token spacing are all
  divided by it, so their ratio (50 : 2,000) and the number of writes per answer stay the product's.
  DB time = wall time spent in the persist transactions (lifecycle.appendDeltas, which the attempt
  runs one after another) and the final move; the pacing in between is not counted. Bytes written
  = growth of pg_total_relation_size (heap + TOAST + indexes) of messages and answer_deltas,
  autovacuum off on them so dead row versions stay counted; the event log (user_events) is
  reported on its own line. PGlite in memory; with DATABASE_URL also PostgreSQL (a scratch
  database bench_answer_writes_<pid>, created and dropped).
  --tokens-per-second N  the model's pace before scaling (default 80: what the 4-token, 50 ms
                         batches of the old bench assumed)
  --scale S              time runs S× faster (default 10: flush 5 ms, persist 200 ms, 800 tokens/s)
  --persist-ms P         the persist cadence before scaling (default 2000, the config default)
  --postgres-only        skip PGlite
  --rounds R             answers of each size measured per driver (default 1; the median is printed)
  Stops by itself after 10 minutes at most.
`)
) {
  const tokensPerSecond = flag('tokens-per-second', 80);
  const scale = flag('scale', 10);
  const persistMsUnscaled = flag('persist-ms', loadConfig({}).llm.answerPersistMs);
  const rounds = flag('rounds', 1);
  const flushMsUnscaled = 50;
  const charsPerToken = 4;
  const sizes = [40, 4000];

  // Set once a scratch database exists, so that giving up drops it too.
  let dropScratch: (() => Promise<void>) | null = null;
  setTimeout(() => {
    process.stderr.write('answer-writes: gave up after 10 minutes\n');
    void (dropScratch?.() ?? Promise.resolve()).finally(() => process.exit(1));
  }, 600_000).unref();

  const load = () =>
    os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ');
  console.log(`load average at start: ${load()}`);
  const flushMs = flushMsUnscaled / scale;
  const persistMs = persistMsUnscaled / scale;
  const msPerToken = 1_000 / tokensPerSecond / scale;
  console.log(
    `pace: ${tokensPerSecond} tokens/s × ${charsPerToken} chars, flush ${flushMsUnscaled} ms, persist ${persistMsUnscaled} ms;` +
      ` time scaled 1/${scale} (flush ${flushMs} ms, persist ${persistMs} ms, a token every ${msPerToken.toFixed(2)} ms);` +
      ` ${rounds} answers of each size, median`,
  );

  /** Relation sizes in bytes (heap + TOAST + indexes); 0 for a table that does not exist. */
  const sizeOf = async (db: Database, table: string) => {
    const [row] = await queryRows<{ bytes: string }>(
      db,
      sql`select coalesce(pg_total_relation_size(to_regclass(${table})), 0)::bigint as bytes`,
    );
    return Number(row?.bytes ?? 0);
  };

  const stopAutovacuum = async (db: Database) => {
    for (const table of ['messages', 'answer_deltas', 'user_events']) {
      const exists = await sizeOf(db, table);
      if (exists > 0) {
        await db.execute(
          sql.raw(`alter table ${table} set (autovacuum_enabled = false, toast.autovacuum_enabled = false)`),
        );
      }
    }
  };

  /** Random words: text TOAST cannot compress, so storage counts what an answer of that length costs at most. */
  const answerText = (chars: number) => {
    const words: string[] = [];
    let length = 0;
    while (length < chars) {
      const word = randomBytes(3).toString('hex');
      words.push(word);
      length += word.length + 1;
    }
    return words.join(' ').slice(0, chars);
  };

  const run = async (label: string, database: OpenDatabase) => {
    const { db } = database;
    await stopAutovacuum(db);
    const bus = createInProcessBus();
    const user = await createUser(db, {
      email: 'answer-writes@example.com',
      displayName: 'bench',
      role: 'user',
      password: 'a perfectly long password',
      now: systemClock.now(),
    });
    const lifecycle = createAnswerLifecycle({ db, bus, clock: systemClock, leaseMs: 60_000 });
    // DB time: the persist transactions (run one after another by the attempt) and the final move.
    let dbMs = 0;
    let persists = 0;
    let shown = 0;
    const timed: AnswerLifecycle = {
      ...lifecycle,
      async showDelta(ref, seq, text) {
        shown++;
        await lifecycle.showDelta(ref, seq, text);
      },
      async appendDeltas(ref, deltas) {
        const start = performance.now();
        try {
          return await lifecycle.appendDeltas(ref, deltas);
        } finally {
          dbMs += performance.now() - start;
          persists++;
        }
      },
    };
    const config = loadConfig({}).llm;
    const streamOnce = createTurnStreamer(
      {
        db,
        config,
        logger: createLogger('error', () => undefined),
        llm: { stream: () => paced() },
        lifecycle: timed,
        breaker: createCircuitBreaker({ ...config.breaker, clock: systemClock }),
        retryPolicy: {
          maxRetries: 0,
          baseDelayMs: 0,
          maxDelayMs: 0,
          sleep: async () => undefined,
          random: Math.random,
        },
        flushMs,
        persistMs,
        gate: null,
        mask: null,
        cut: () => {
          throw new Error('the bench answer was cut');
        },
      },
      () => {
        throw new Error('the bench answer reached a limit');
      },
    );
    let nextText = '';
    /** The model stand-in: one token (~4 chars) at a time at the scaled pace, ahead of time never. */
    async function* paced(): AsyncIterable<LlmChunk> {
      const text = nextText;
      const start = performance.now();
      for (let i = 0, at = 0; at < text.length; i++, at += charsPerToken) {
        const wait = start + i * msPerToken - performance.now();
        if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
        yield { type: 'text', text: text.slice(at, at + charsPerToken) };
      }
    }
    const now = systemClock.now();
    const [chat] = await db.insert(chats).values({ userId: user.id, createdAt: now, updatedAt: now }).returning();
    const chatId = chat!.id;

    const one = async (tokens: number) => {
      const text = answerText(tokens * charsPerToken);
      const answer = await db.transaction((tx) =>
        insertPendingAnswer(
          tx,
          { now: systemClock.now(), leaseMs: 60_000 },
          {
            userId: user.id,
            chatId,
            replyTo: user.id,
            agentId: 'support',
          },
        ),
      );
      const ref = { userId: user.id, chatId, answerId: answer.id };
      await lifecycle.move(ref, 'retrieving');
      const before = { messages: await sizeOf(db, 'messages'), deltas: await sizeOf(db, 'answer_deltas') };
      const eventsBefore = await sizeOf(db, 'user_events');
      dbMs = 0;
      persists = 0;
      shown = 0;
      nextText = text;
      const run = { attempt: new AbortController(), cut: false, limit: null };
      const streamed = await streamOnce(ref, run, { model: 'bench', messages: [] }, progressFrom(0), null);
      if (streamed.text !== text) throw new Error('streamed text differs');
      const start = performance.now();
      const done = await lifecycle.move(ref, 'complete', { content: text });
      dbMs += performance.now() - start;
      const ms = dbMs;
      if (done?.content !== text) throw new Error('stored text differs');
      const messageBytes = (await sizeOf(db, 'messages')) - before.messages;
      const deltaBytes = (await sizeOf(db, 'answer_deltas')) - before.deltas;
      const bytes = messageBytes + deltaBytes;
      const eventBytes = (await sizeOf(db, 'user_events')) - eventsBefore;
      return { ms, bytes, messageBytes, deltaBytes, eventBytes, deltas: shown, persists, chars: text.length };
    };

    // One warm-up answer: the first queries plan and fill caches.
    await one(sizes[0]!);
    type Samples = Record<'ms' | 'bytes' | 'messageBytes' | 'deltaBytes' | 'eventBytes', number[]>;
    const results = new Map<number, Samples & { deltas: number; persists: number; chars: number }>();
    for (let r = 0; r < rounds; r++) {
      for (const tokens of sizes) {
        const got = await one(tokens);
        const entry = results.get(tokens) ?? {
          ms: [],
          bytes: [],
          messageBytes: [],
          deltaBytes: [],
          eventBytes: [],
          deltas: got.deltas,
          persists: got.persists,
          chars: got.chars,
        };
        for (const key of ['ms', 'bytes', 'messageBytes', 'deltaBytes', 'eventBytes'] as const)
          entry[key].push(got[key]);
        results.set(tokens, entry);
      }
    }
    await bus.close();
    const median = (values: number[]) => summary(values).p50;
    const base = results.get(sizes[0]!)!;
    const full = results.get(sizes[1]!)!;
    console.log(`\n${label}`);
    for (const tokens of sizes) {
      const entry = results.get(tokens)!;
      console.log(
        `  ${String(tokens).padStart(5)} tokens (${entry.chars} chars, ${entry.deltas} deltas shown, ${entry.persists} persists):` +
          ` DB time ${median(entry.ms).toFixed(1)} ms (${(median(entry.ms) / (entry.persists + 1)).toFixed(2)} ms per transaction), answer storage +${median(entry.bytes)} bytes` +
          ` (${(median(entry.bytes) / entry.chars).toFixed(1)}× its size: messages +${median(entry.messageBytes)},` +
          ` answer_deltas +${median(entry.deltaBytes)}), event log +${median(entry.eventBytes)} bytes`,
      );
    }
    console.log(
      `  figure: 4,000-token DB time ${median(full.ms).toFixed(1)} ms; baseline: 40-token ${median(base.ms).toFixed(1)} ms;` +
        ` ratio ${(median(full.ms) / median(base.ms)).toFixed(1)}× (goal ≤ 10×; deltas ratio ${(full.deltas / base.deltas).toFixed(0)}×, transactions ratio ${((full.persists + 1) / (base.persists + 1)).toFixed(1)}×)`,
    );
    console.log(
      `  storage: 4,000-token answer wrote ${median(full.bytes)} bytes for ${full.chars} chars (${(median(full.bytes) / full.chars).toFixed(1)}×)`,
    );
  };

  const drivers = process.argv.includes('--postgres-only') ? [] : ['pglite'];
  if (drivers.length > 0) {
    const pglite = await openDatabase({ driver: 'pglite', dataDir: 'memory://' });
    try {
      await run('PGlite (in memory)', pglite);
    } finally {
      await pglite.close();
    }
  }

  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `bench_answer_writes_${process.pid}`;
    // The BFF's PostgreSQL client (bench has no driver of its own).
    const pg = createRequire(new URL('../bff/package.json', import.meta.url))('pg') as {
      Client: new (config: {
        connectionString: string;
      }) => { connect(): Promise<void>; query(text: string): Promise<unknown>; end(): Promise<void> };
    };
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(statement);
      } finally {
        await client.end();
      }
    };
    await admin(`create database ${name}`);
    dropScratch = () => admin(`drop database if exists ${name} with (force)`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    try {
      const postgres = await openDatabase({ driver: 'postgres', url: url.toString() });
      try {
        await run('PostgreSQL (scratch database)', postgres);
      } finally {
        await postgres.close();
      }
    } finally {
      await dropScratch();
      dropScratch = null;
    }
  } else {
    console.log('\n(PostgreSQL skipped: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)');
  }
  console.log(`\nload average at end: ${load()}`);
}
