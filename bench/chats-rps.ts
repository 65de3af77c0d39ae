import { mkdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { flag, helpRequested } from './harness.js';
import {
  type BenchDatabase,
  type Driver,
  get,
  type LoadResult,
  load,
  loadAverage,
  median,
  type ServerProcess,
  scratchPglite,
  scratchPostgres,
  seedUser,
  startBff,
  startMinimal,
  warmUp,
} from './http-load.js';

if (
  !helpRequested(`
chats-rps — authenticated GET /api/chats over real loopback HTTP: the real BFF (bff/src/main.ts,
  LOG_LEVEL info, metrics on, tracing off as by default, inline worker) against a minimal Hono app
  doing the same two queries (session by sha256 of the cookie joined to its user, then the user's
  newest chats; minimal-chats-server.ts), both child processes on the same database, one user with
  20 chats. One keep-alive node:http client (this process) loads each in turn; the server's CPU
  per request comes from /proc/<pid>/stat. Each round measures both sides at each concurrency,
  alternating which goes first; the table shows the median over rounds.
  PostgreSQL: needs DATABASE_URL (a scratch database bench_reads_<pid> is created and dropped).
  PGlite: one data directory, served by the BFF, then by the minimal app (one process at a time).
  --seconds S       per measurement (default 3)
  --rounds R        rounds per driver (default 3)
  --drivers LIST    postgres,pglite (default both; postgres only with DATABASE_URL)
  --warmup N        unmeasured requests per server first (default 1000)
  --bff DIR         the BFF to measure: another checkout's bff/ (e.g. a worktree at an older commit)
  --before DIR      also measure another checkout's bff/ in the same rounds (PostgreSQL only):
                    a "before" row beside "ours", both against the same minimal app
  --profile DIR     write a --cpu-prof profile of the BFF into DIR
  Bounded: 2 drivers × R rounds × 2 concurrencies × 2 sides × S seconds, plus start-up.
`)
) {
  const seconds = flag('seconds', 3);
  const rounds = flag('rounds', 3);
  const warmUpRequests = flag('warmup', 1000);
  const concurrencies = [1, 16];
  const driversFlag = process.argv.indexOf('--drivers');
  const drivers = (driversFlag >= 0 ? process.argv[driversFlag + 1]!.split(',') : ['postgres', 'pglite']).filter(
    (d): d is Driver => d === 'pglite' || (d === 'postgres' && Boolean(process.env.DATABASE_URL)),
  );
  const bffFlag = process.argv.indexOf('--bff');
  const bffRoot = bffFlag >= 0 ? path.resolve(process.argv[bffFlag + 1]!) : undefined;
  const profileFlag = process.argv.indexOf('--profile');
  const profileDir = profileFlag >= 0 ? process.argv[profileFlag + 1] : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const bffOptions = { ...(profileDir ? { profileDir } : {}), ...(bffRoot ? { bffRoot } : {}) };
  const beforeFlag = process.argv.indexOf('--before');
  const beforeRoot = beforeFlag >= 0 ? path.resolve(process.argv[beforeFlag + 1]!) : undefined;
  const watchdog = setTimeout(() => {
    process.stderr.write('chats-rps: gave up after 15 minutes\n');
    process.exit(1);
  }, 900_000);
  watchdog.unref();

  process.stdout.write(`load average at start: ${loadAverage()}\n`);
  for (const driver of drivers) {
    const database: BenchDatabase =
      driver === 'postgres' ? await scratchPostgres(process.env.DATABASE_URL!, 'reads') : scratchPglite('reads');
    const servers: ServerProcess[] = [];
    try {
      const opened = await database.open();
      const { cookie } = await seedUser(opened, 'bench@example.com', 20);
      await opened.close();
      const headers = { Cookie: cookie };
      const agent = new http.Agent({ keepAlive: false });
      const results = new Map<string, LoadResult[]>();
      const record = (side: string, c: number, result: LoadResult) => {
        const key = `${side} ${c}`;
        results.set(key, [...(results.get(key) ?? []), result]);
      };
      const answers = new Map<string, string>();
      const measureRounds = async (sides: { name: string; server: ServerProcess }[]) => {
        for (const { name, server } of sides) {
          answers.set(name, (await get(agent, `${server.base}/api/chats`, headers)).body);
          await warmUp(server, '/api/chats', headers, warmUpRequests);
        }
        for (let round = 0; round < rounds; round++) {
          for (const c of concurrencies) {
            const order = round % 2 === 0 ? sides : [...sides].reverse();
            for (const { name, server } of order)
              record(name, c, await load(server, '/api/chats', headers, c, seconds));
          }
        }
      };
      if (driver === 'postgres') {
        // Both up at once on the same database; measurements alternate.
        const bff = await startBff(database, bffOptions);
        servers.push(bff);
        const minimal = await startMinimal(database);
        servers.push(minimal);
        const before = beforeRoot ? await startBff(database, { bffRoot: beforeRoot }) : null;
        if (before) servers.push(before);
        await measureRounds([
          { name: 'ours', server: bff },
          { name: 'minimal', server: minimal },
          ...(before ? [{ name: 'before', server: before }] : []),
        ]);
      } else {
        // One process may hold a PGlite directory: the BFF's rounds, then the minimal app's.
        const bff = await startBff(database, bffOptions);
        servers.push(bff);
        await measureRounds([{ name: 'ours', server: bff }]);
        await bff.stop();
        const minimal = await startMinimal(database);
        servers.push(minimal);
        await measureRounds([{ name: 'minimal', server: minimal }]);
      }
      // Both sides must have answered the same list, in the same shape, before their figures mean anything.
      if (answers.has('before') && answers.get('before') !== answers.get('minimal')) {
        throw new Error(`before and minimal answer differently:\n${answers.get('before')}\n${answers.get('minimal')}`);
      }
      if (answers.get('ours') !== answers.get('minimal')) {
        throw new Error(`the two sides answer differently:\n${answers.get('ours')}\n${answers.get('minimal')}`);
      }
      const name = driver === 'postgres' ? 'PostgreSQL' : 'PGlite';
      process.stdout.write(
        `\n${name}: ${rounds} rounds × ${seconds}s per side, 20 chats, median over rounds\n` +
          '  in flight   minimal rps   ours rps   ratio rps   minimal CPU µs/req   ours CPU µs/req   ratio CPU\n',
      );
      const rows = results.has('before 1') ? (['before', 'ours'] as const) : (['ours'] as const);
      for (const c of concurrencies)
        for (const side of rows) {
          const minimal = results.get(`minimal ${c}`)!;
          const ours = results.get(`${side} ${c}`)!;
          const mr = median(minimal.map((r) => r.rps));
          const or = median(ours.map((r) => r.rps));
          const mc = median(minimal.map((r) => r.cpuUs));
          const oc = median(ours.map((r) => r.cpuUs));
          process.stdout.write(
            `  ${String(c).padStart(9)}   ${mr.toFixed(0).padStart(11)}   ${or.toFixed(0).padStart(8)}   ${(or / mr).toFixed(2).padStart(9)}   ` +
              `${mc.toFixed(0).padStart(18)}   ${oc.toFixed(0).padStart(15)}   ${(oc / mc).toFixed(2).padStart(9)}` +
              `${rows.length > 1 ? `   (${side})` : ''}\n`,
          );
        }
    } finally {
      for (const server of servers) await server.stop();
      await database.drop();
    }
  }
  process.stdout.write(`\nload average at end: ${loadAverage()}\n`);
  process.exit(0);
}
