import http from 'node:http';
import { sql } from 'drizzle-orm';
import { listChats } from '../bff/src/chats/repository.js';
import { flag, helpRequested } from './harness.js';
import {
  type BenchDatabase,
  type Driver,
  get,
  type LoadResult,
  load,
  loadAverage,
  median,
  scratchPglite,
  scratchPostgres,
  seedUser,
  startBff,
  warmUp,
} from './http-load.js';

if (
  !helpRequested(`
chat-list-scale — GET /api/chats for a user with 10,000 chats vs one with 20 (the baseline), in the
  same run, on the same database and the same real BFF (bff/src/main.ts as a child process, LOG_LEVEL
  info), over loopback HTTP with one keep-alive node:http client: the first page, a later page
  (cursor from the middle of the list), a search matching many (q 'chat 1': 11 of 20, 1,111 of
  10,000) and one matching none (q 'no such chat', the whole list read before the trigram index,
  migration 0021). Figures: requests/s at
  --concurrency in flight, the BFF's CPU per request (/proc/<pid>/stat), and the query alone
  (listChats from this process, p50 over --calls); ratios 10,000 / 20.
  Rounds alternate which user goes first; the table shows the median over rounds.
  PostgreSQL: needs DATABASE_URL (a scratch database bench_reads_<pid> is created and dropped).
  --seconds S       per measurement (default 3)
  --rounds R        (default 3)
  --concurrency C   requests in flight (default 16)
  --chats N         chats of the large user (default 10000)
  --drivers LIST    postgres,pglite (default both; postgres only with DATABASE_URL)
  --calls N         listChats calls per shape and user for the query-only figure (default 200)
  --before          recreate chats_user_updated_idx as it was before issue 12 (DESC NULLS LAST)
  --no-trigram      drop chats_user_title_trgm_idx (the search as before migration 0021)
`)
) {
  const seconds = flag('seconds', 3);
  const rounds = flag('rounds', 3);
  const concurrency = flag('concurrency', 16);
  const large = flag('chats', 10_000);
  const before = process.argv.includes('--before');
  const noTrigram = process.argv.includes('--no-trigram');
  const calls = flag('calls', 200);
  const driversFlag = process.argv.indexOf('--drivers');
  const drivers = (driversFlag >= 0 ? process.argv[driversFlag + 1]!.split(',') : ['postgres', 'pglite']).filter(
    (d): d is Driver => d === 'pglite' || (d === 'postgres' && Boolean(process.env.DATABASE_URL)),
  );
  setTimeout(() => {
    process.stderr.write('chat-list-scale: gave up after 15 minutes\n');
    process.exit(1);
  }, 900_000).unref();

  process.stdout.write(`load average at start: ${loadAverage()}\n`);
  for (const driver of drivers) {
    const database: BenchDatabase =
      driver === 'postgres' ? await scratchPostgres(process.env.DATABASE_URL!, 'reads') : scratchPglite('reads');
    let stop = async () => undefined as unknown;
    try {
      const opened = await database.open();
      const small = await seedUser(opened, 'twenty@example.com', 20);
      const big = await seedUser(opened, 'many@example.com', large);
      if (before) {
        await opened.db.execute(sql`drop index chats_user_updated_idx`);
        await opened.db.execute(
          sql`create index chats_user_updated_idx on chats (user_id, updated_at desc nulls last, id desc nulls last)`,
        );
      }
      if (noTrigram) await opened.db.execute(sql`drop index chats_user_title_trgm_idx`);
      await opened.db.execute(sql`analyze chats`);
      // The query alone, in this process: listChats as the route calls it, p50 over `calls` per shape and user.
      const middle = (await listChats(opened.db, big.userId, { limit: Math.floor(large / 2) })).nextCursor;
      const tenth = (await listChats(opened.db, small.userId, { limit: 10 })).nextCursor;
      const queryShapes = [
        { name: 'first page', query: () => ({ limit: 30 }) },
        { name: 'later page', query: (cursor: string | null) => ({ limit: 30, cursor: cursor ?? undefined }) },
        { name: "search q='chat 1'", query: () => ({ limit: 30, q: 'chat 1' }) },
        { name: 'search, no match', query: () => ({ limit: 30, q: 'no such chat' }) },
      ];
      const queryMs = new Map<string, number[]>();
      for (let call = 0; call < calls; call++) {
        for (const shape of queryShapes) {
          for (const [name, userId, cursor] of [
            ['twenty', small.userId, tenth],
            ['many', big.userId, middle],
          ] as const) {
            const started = performance.now();
            await listChats(opened.db, userId, shape.query(cursor));
            const key = `${shape.name} ${name}`;
            queryMs.set(key, [...(queryMs.get(key) ?? []), performance.now() - started]);
          }
        }
      }
      await opened.close();
      const bff = await startBff(database);
      stop = () => bff.stop();
      const agent = new http.Agent({ keepAlive: false });
      /** The cursor the BFF hands out `offset` chats into the user's list (pages of up to 100). */
      const cursorAt = async (cookie: string, offset: number) => {
        const size = Math.min(100, offset);
        let cursor: string | null = null;
        for (let seen = 0; seen < offset; seen += size) {
          const query: string = cursor ? `&cursor=${cursor}` : '';
          const page = await get(agent, `${bff.base}/api/chats?limit=${size}${query}`, { Cookie: cookie });
          cursor = (JSON.parse(page.body) as { nextCursor: string | null }).nextCursor;
        }
        return cursor;
      };
      const shapes = [
        { name: 'first page', path: () => '/api/chats' },
        { name: 'later page', path: (cursor: string | null) => `/api/chats?cursor=${cursor}` },
        { name: "search q='chat 1'", path: () => '/api/chats?q=chat%201' },
        { name: 'search, no match', path: () => '/api/chats?q=no%20such%20chat' },
      ];
      const users = [
        { name: 'twenty', cookie: small.cookie, cursor: await cursorAt(small.cookie, 10) },
        { name: 'many', cookie: big.cookie, cursor: await cursorAt(big.cookie, Math.floor(large / 2 / 100) * 100) },
      ];
      for (const user of users) await warmUp(bff, '/api/chats', { Cookie: user.cookie }, 500);
      const results = new Map<string, LoadResult[]>();
      for (let round = 0; round < rounds; round++) {
        for (const shape of shapes) {
          for (const user of round % 2 === 0 ? users : [...users].reverse()) {
            const key = `${shape.name} ${user.name}`;
            const result = await load(bff, shape.path(user.cursor), { Cookie: user.cookie }, concurrency, seconds);
            results.set(key, [...(results.get(key) ?? []), result]);
          }
        }
      }
      const name = driver === 'postgres' ? 'PostgreSQL' : 'PGlite';
      process.stdout.write(
        `\n${name}${before ? ' (index as before: DESC NULLS LAST)' : ''}${noTrigram ? ' (no trigram index)' : ''}: ${rounds} rounds × ${seconds}s, ${concurrency} in flight, median\n` +
          `  request              20 chats rps   ${large} chats rps   ratio rps   20 CPU µs/req   ${large} CPU µs/req   query p50 20 / ${large} ms   ratio\n`,
      );
      for (const shape of shapes) {
        const few = results.get(`${shape.name} twenty`)!;
        const many = results.get(`${shape.name} many`)!;
        const fr = median(few.map((r) => r.rps));
        const mr = median(many.map((r) => r.rps));
        const fq = median(queryMs.get(`${shape.name} twenty`)!);
        const mq = median(queryMs.get(`${shape.name} many`)!);
        process.stdout.write(
          `  ${shape.name.padEnd(18)}   ${fr.toFixed(0).padStart(12)}   ${mr.toFixed(0).padStart(14)}   ${(mr / fr).toFixed(2).padStart(9)}   ` +
            `${median(few.map((r) => r.cpuUs))
              .toFixed(0)
              .padStart(13)}   ` +
            `${median(many.map((r) => r.cpuUs))
              .toFixed(0)
              .padStart(17)}   ` +
            `${`${fq.toFixed(2)} / ${mq.toFixed(2)}`.padStart(24)}   ${(mq / fq).toFixed(2).padStart(5)}\n`,
        );
      }
    } finally {
      await stop();
      await database.drop();
    }
  }
  process.stdout.write(`\nload average at end: ${loadAverage()}\n`);
  process.exit(0);
}
