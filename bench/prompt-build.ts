import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import type pgTypes from 'pg';
import { fitNewestHistory, historyPages } from '../bff/src/agent/prompt-history.js';
import { standingTurns } from '../bff/src/agent/standing-turns.js';
import { fitHistory } from '../bff/src/agent/token-budget.js';
import { messagesBefore } from '../bff/src/chats/repository.js';
import { type Database, openDatabase } from '../bff/src/db/index.js';
import { chats, messages } from '../bff/src/db/schema/index.js';
import { createUser } from '../bff/src/users/accounts.js';
import { flag, helpRequested, summary } from './harness.js';

const pg = createRequire(new URL('../bff/package.json', import.meta.url))('pg') as typeof pgTypes;

if (
  !helpRequested(`
prompt-build — building an answer's prompt history in a long chat vs a short one (no network).
  Figure: the prompt history of a new answer in a 2,000-message chat (1,000 questions, 1,000
  answers; questions ~200 characters, answers ~1,200). Baseline: the same in a 10-message chat.
  Ratio = figure p50 / baseline p50. Time per build: the database read(s) plus standingTurns and
  fitHistory, with the default budget of 8,000 estimated tokens (ATRIUM_HISTORY_TOKEN_BUDGET).
    after:  fitNewestHistory (agent/prompt-history.ts: keyset pages from the newest, stops when full)
    before: the whole conversation (chats/repository.ts messagesBefore), then trimmed
  Both are run, interleaved, in one process. PGlite in memory; with DATABASE_URL, PostgreSQL in a
  scratch database bench_ttft_<pid> made and dropped here.
  --builds N     builds per chat and algorithm (default 200)
`)
) {
  const builds = flag('builds', 200);
  const startLoad = loadavg();
  const budget = 8_000;
  const serverUrl = process.env.DATABASE_URL;
  const scratchName = `bench_ttft_${process.pid}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(statement);
    await client.end();
  };
  let url: string | null = null;
  if (serverUrl) {
    await admin(`create database ${scratchName}`);
    const u = new URL(serverUrl);
    u.pathname = `/${scratchName}`;
    url = u.toString();
  }
  const database = await openDatabase(url ? { driver: 'postgres', url } : { driver: 'pglite', dataDir: 'memory://' });
  const db: Database = database.db;
  try {
    const user = await createUser(db, {
      email: 'prompt-build@example.com',
      displayName: 'prompt build',
      role: 'user',
      password: 'a perfectly long password',
      now: new Date(),
    });
    const makeChat = async (count: number) => {
      const now = new Date();
      const [chat] = await db
        .insert(chats)
        .values({ userId: user.id, title: `${count}`, agentId: 'default', createdAt: now, updatedAt: now })
        .returning();
      const rows = [];
      let question: string | null = null;
      for (let n = 0; n < count; n++) {
        const asking = n % 2 === 0;
        const id = crypto.randomUUID();
        rows.push({
          id,
          chatId: chat!.id,
          userId: user.id,
          role: asking ? ('user' as const) : ('assistant' as const),
          content: `${asking ? 'question' : 'answer'} ${n} ${'lorem ipsum '.repeat(asking ? 16 : 100)}`,
          status: 'complete' as const,
          replyTo: asking ? null : question,
          createdAt: new Date(now.getTime() + n),
          updatedAt: now,
        });
        if (asking) question = id;
      }
      for (let i = 0; i < rows.length; i += 500) await db.insert(messages).values(rows.slice(i, i + 500));
      // The new answer replies to the last question; its position is past every message.
      const all = await messagesBefore(db, user.id, chat!.id, Number.MAX_SAFE_INTEGER);
      return {
        chatId: chat!.id,
        position: all.at(-1)!.position + 1,
        answering: all.findLast((m) => m.role === 'user')!.id,
      };
    };
    const short = await makeChat(10);
    const long = await makeChat(2_000);
    if (url) await db.execute(sql`analyze messages`);

    const system = { role: 'system' as const, content: 'You answer from the passages below. '.repeat(20) };
    type Chat = Awaited<ReturnType<typeof makeChat>>;
    const after = (c: Chat) =>
      fitNewestHistory(historyPages(db, user.id, c.chatId), {
        position: c.position,
        answering: c.answering,
        system,
        budget,
      });
    const before = async (c: Chat) =>
      fitHistory(system, standingTurns(c.answering, await messagesBefore(db, user.id, c.chatId, c.position)), budget);

    // Same prompt from both, for both chats (the check the tests make, once more on this data).
    for (const c of [short, long]) {
      if (JSON.stringify(await after(c)) !== JSON.stringify(await before(c))) throw new Error('prompts differ');
    }
    const times: Record<string, number[]> = { beforeShort: [], beforeLong: [], afterShort: [], afterLong: [] };
    const time = async (key: string, build: () => Promise<unknown>) => {
      const started = performance.now();
      await build();
      times[key]!.push(performance.now() - started);
    };
    for (let i = 0; i < 20; i++) {
      await after(short);
      await after(long);
      await before(short);
      await before(long);
    }
    for (let i = 0; i < builds; i++) {
      await time('afterShort', () => after(short));
      await time('afterLong', () => after(long));
      await time('beforeShort', () => before(short));
      await time('beforeLong', () => before(long));
    }
    const kept = (await after(long)).length - 1;
    const fmt = (x: number) => x.toFixed(2);
    process.stdout.write(
      `prompt build, ${builds} builds each, ${url ? 'PostgreSQL' : 'PGlite'} (ms); load average at start ${startLoad
        .map((x) => x.toFixed(1))
        .join(' ')}\n` + `  the 2,000-message chat's prompt keeps ${kept} turns of 2,000\n`,
    );
    for (const [name, s, l] of [
      ['before (whole history)', times.beforeShort!, times.beforeLong!],
      ['after (newest pages)  ', times.afterShort!, times.afterLong!],
    ] as const) {
      const b = summary([...s]);
      const f = summary([...l]);
      process.stdout.write(
        `  ${name}  baseline 10 msgs p50 ${fmt(b.p50)} p99 ${fmt(b.p99)}   figure 2,000 msgs p50 ${fmt(f.p50)} p99 ${fmt(f.p99)}   ratio p50 ${(f.p50 / b.p50).toFixed(2)}×\n`,
      );
    }
    process.stdout.write(
      `load average at end ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}\n`,
    );
  } finally {
    await database.close();
    if (serverUrl) await admin(`drop database if exists ${scratchName} with (force)`);
  }
  process.exit(0);
}
