import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { createAnswerLifecycle, insertPendingAnswer } from '../bff/src/agent/answer-lifecycle.js';
import { systemClock } from '../bff/src/clock.js';
import { type Database, type OpenDatabase, openDatabase, queryRows } from '../bff/src/db/index.js';
import { chats } from '../bff/src/db/schema/index.js';
import { createInProcessBus } from '../bff/src/realtime/in-process-bus.js';
import { createUser } from '../bff/src/users/accounts.js';
import { flag, helpRequested, summary } from './harness.js';

if (
  !helpRequested(`
answer-writes — database time and bytes written to store one streamed answer, 4,000 tokens vs
  40 tokens (the baseline), through the real lifecycle (createAnswerLifecycle): a pending answer
  moved to retrieving, N appendText calls (one per ~50 ms batch the agent flushes), then the
  final move to complete with the whole text (as agent-loop.ts does). DB time = wall time of the
  appendText calls and the final move. Bytes written = growth of pg_total_relation_size (heap +
  TOAST + indexes) of messages and answer_deltas (when it exists), autovacuum off on them so
  dead row versions stay counted; the event log (user_events) is reported on its own line.
  PGlite in memory; with DATABASE_URL also PostgreSQL (a scratch database bench_answer_writes_<pid>,
  created and dropped).
  --delta-tokens T  tokens per delta (default 4, ~4 chars each: what a 50 ms batch holds at
                    ~80 tokens/s)
  --postgres-only   skip PGlite
  --rounds R        answers of each size measured per driver (default 1; the median is printed)
  Stops by itself after 10 minutes at most.
`)
) {
  const deltaTokens = flag('delta-tokens', 4);
  const rounds = flag('rounds', 1);
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
  console.log(`delta: ${deltaTokens} tokens × ${charsPerToken} chars; ${rounds} answers of each size, median`);

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
    const now = systemClock.now();
    const [chat] = await db.insert(chats).values({ userId: user.id, createdAt: now, updatedAt: now }).returning();
    const chatId = chat!.id;

    const one = async (tokens: number) => {
      const text = answerText(tokens * charsPerToken);
      const deltaChars = deltaTokens * charsPerToken;
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
      const start = performance.now();
      let seq = 0;
      for (let at = 0; at < text.length; at += deltaChars) {
        if (!(await lifecycle.appendText(ref, text.slice(at, at + deltaChars), seq++))) throw new Error('refused');
      }
      const done = await lifecycle.move(ref, 'complete', { content: text });
      const ms = performance.now() - start;
      if (done?.content !== text) throw new Error('stored text differs');
      const messageBytes = (await sizeOf(db, 'messages')) - before.messages;
      const deltaBytes = (await sizeOf(db, 'answer_deltas')) - before.deltas;
      const bytes = messageBytes + deltaBytes;
      const eventBytes = (await sizeOf(db, 'user_events')) - eventsBefore;
      return { ms, bytes, messageBytes, deltaBytes, eventBytes, deltas: seq, chars: text.length };
    };

    // One warm-up answer: the first queries plan and fill caches.
    await one(sizes[0]!);
    type Samples = Record<'ms' | 'bytes' | 'messageBytes' | 'deltaBytes' | 'eventBytes', number[]>;
    const results = new Map<number, Samples & { deltas: number; chars: number }>();
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
        `  ${String(tokens).padStart(5)} tokens (${entry.chars} chars, ${entry.deltas} deltas): DB time ${median(entry.ms).toFixed(1)} ms` +
          ` (${(median(entry.ms) / (entry.deltas + 1)).toFixed(2)} ms per write), answer storage +${median(entry.bytes)} bytes` +
          ` (${(median(entry.bytes) / entry.chars).toFixed(1)}× its size: messages +${median(entry.messageBytes)},` +
          ` answer_deltas +${median(entry.deltaBytes)}), event log +${median(entry.eventBytes)} bytes`,
      );
    }
    console.log(
      `  figure: 4,000-token DB time ${median(full.ms).toFixed(1)} ms; baseline: 40-token ${median(base.ms).toFixed(1)} ms;` +
        ` ratio ${(median(full.ms) / median(base.ms)).toFixed(1)}× (goal ≤ 10×; deltas ratio ${(full.deltas / base.deltas).toFixed(0)}×)`,
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
