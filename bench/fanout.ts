import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createSession } from '../bff/src/auth/sessions.js';
import { systemClock } from '../bff/src/clock.js';
import { openDatabase } from '../bff/src/db/index.js';
import { createLogger } from '../bff/src/logger.js';
import { publishBroadcast } from '../bff/src/realtime/event-log.js';
import { createRedisBus } from '../bff/src/realtime/redis-bus.js';
import {
  type BffProcess,
  createScratchDatabase,
  requireServices,
  startBff,
} from '../bff/src/testing/multi-instance.js';
import { createUser } from '../bff/src/users/accounts.js';
import { flag, helpRequested, openReleaseStream, summary } from './harness.js';

if (
  !helpRequested(`
fanout — one broadcast delivered to N open SSE clients: on one BFF instance, and split over two
  instances through Redis. Real BFF processes (bff/src/main.ts) on PostgreSQL + Redis, real SSE
  connections over loopback (node's http client, keep-alive agent). A broadcast is publishBroadcast
  of a release.changed from this process, as another instance would send it (log row + Redis).
  Baseline in the same run: the same broadcast to --baseline clients on one instance.
  Memory per connection: (VmRSS of the BFF after connecting − before) / connections added.
  Needs DATABASE_URL and REDIS_URL (a scratch database is created and dropped), and an fd limit
  above --clients (e.g. bash -c 'ulimit -n 20000 && npx tsx fanout.ts').
  --clients N    SSE clients at full load (default 5000, at most 20000)
  --baseline B   SSE clients for the baseline (default 50)
  --users U      users the clients belong to, one session each (default 20)
  --rounds R     broadcasts measured per setting (default 20)
  Stops by itself after 10 minutes at most.
`)
) {
  const clients = Math.min(flag('clients', 5000), 20_000);
  const baselineClients = Math.min(flag('baseline', 50), clients);
  const userCount = flag('users', 20);
  const rounds = flag('rounds', 20);
  const roundTimeoutMs = 30_000;

  const openFiles = Number(/Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? 0);
  if (openFiles < clients + 200) {
    throw new Error(`fd limit ${openFiles} is too low for ${clients} clients: run under ulimit -n ${clients + 1000}`);
  }

  const { databaseUrl, redisUrl } = requireServices();
  const scratch = await createScratchDatabase(databaseUrl);
  const bffs: BffProcess[] = [];
  const cleanUp = async () => {
    for (const bff of bffs) await bff.kill('SIGKILL');
    await scratch.drop();
  };
  setTimeout(() => {
    process.stderr.write('fanout: gave up after 10 minutes\n');
    void cleanUp().finally(() => process.exit(1));
  }, 600_000).unref();

  const env = {
    DATABASE_URL: scratch.url,
    REDIS_URL: redisUrl,
    ATRIUM_SEED_LOCAL_REMOTES: 'false',
    LOG_LEVEL: 'warn',
  };
  const start = async () => {
    const bff = await startBff(env);
    bffs.push(bff);
    return bff;
  };
  const first = await start();

  // This process publishes as a third instance would: the broadcast log row, then Redis.
  const database = await openDatabase({ driver: 'postgres', url: scratch.url });
  const bus = createRedisBus(redisUrl, createLogger('warn'));
  const cookies: string[] = [];
  for (let u = 0; u < userCount; u++) {
    const user = await createUser(database.db, {
      email: `fanout-${u}@example.com`,
      displayName: `fanout ${u}`,
      role: 'user',
      password: 'a perfectly long password',
      now: systemClock.now(),
    });
    const session = await createSession(database.db, {
      userId: user.id,
      now: systemClock.now(),
      policy: { idleMs: 3_600_000, absoluteMs: 3_600_000 },
      userAgent: 'fanout',
      ip: '127.0.0.1',
    });
    cookies.push(`atrium_session=${session.token}`);
  }

  // Arrival times per broadcast reason; a round is done when every open client has its event.
  const arrivals = new Map<string, number[]>();
  let expected = 0;
  let roundDone: (() => void) | null = null;
  const arrived = (reason: string) => {
    const times = arrivals.get(reason) ?? [];
    times.push(performance.now());
    arrivals.set(reason, times);
    if (times.length === expected) roundDone?.();
  };

  const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const open: http.ClientRequest[] = [];

  /** One tab's event stream (see `openReleaseStream`); resolves at `: live`. */
  const connect = (bff: BffProcess, cookie: string) =>
    openReleaseStream(`${bff.base}/api/events`, { agent, cookie, label: 'events', open }, arrived);

  /** Opens `count` more streams, spread round-robin over the instances and users, 100 at a time. */
  async function connectMore(targets: BffProcess[], count: number) {
    for (let done = 0; done < count; done += 100) {
      const opened = open.length;
      await Promise.all(
        Array.from({ length: Math.min(100, count - done) }, (_, i) => {
          const n = opened + i;
          return connect(targets[n % targets.length]!, cookies[n % cookies.length]!);
        }),
      );
    }
  }

  const rssKb = (bff: BffProcess) =>
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${bff.child.pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1_000));

  async function broadcastRounds(label: string) {
    expected = open.length;
    const each: number[] = [];
    const all: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const reason = `${label} ${round}`;
      const done = new Promise<void>((resolve, reject) => {
        roundDone = resolve;
        setTimeout(() => reject(new Error(`${reason}: not every client was notified`)), roundTimeoutMs).unref();
      });
      const sent = performance.now();
      await publishBroadcast(
        { db: database.db, bus, clock: systemClock },
        { type: 'release.changed', remote: 'admin', reason },
      );
      await done;
      const times = arrivals.get(reason)!.map((at) => at - sent);
      arrivals.delete(reason);
      each.push(...times);
      all.push(Math.max(...times));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { each: summary(each), all: summary(all) };
  }

  /** Connects up to `total` clients over `targets`, returning VmRSS growth per added connection. */
  async function grow(targets: BffProcess[], total: number) {
    await settle();
    const before = targets.map(rssKb);
    const added = total - open.length;
    await connectMore(targets, added);
    await settle();
    return targets.map((bff, i) => ((rssKb(bff) - before[i]!) * 1024) / (added / targets.length));
  }

  await connectMore([first], baselineClients);
  const baseline = await broadcastRounds('baseline');
  const oneMemory = await grow([first], clients);
  const one = await broadcastRounds('one instance');
  for (const request of open.splice(0)) request.destroy();
  await first.kill();
  bffs.splice(0);

  const pair = [await start(), await start()];
  await connectMore(pair, baselineClients);
  const twoMemory = await grow(pair, clients);
  const two = await broadcastRounds('two instances');

  const ms = (value: number) => `${value.toFixed(1)} ms`.padStart(9);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const row = (name: string, s: { p50: number; p99: number; n: number }) =>
    `  ${name.padEnd(52)} p50 ${ms(s.p50)}   p99 ${ms(s.p99)}   (n=${s.n})\n`;
  const ratio = (name: string, a: { p50: number; p99: number }, b: { p50: number; p99: number }) =>
    `  ${name.padEnd(52)} p50 ${(a.p50 / b.p50).toFixed(2).padStart(9)}   p99 ${(a.p99 / b.p99).toFixed(2).padStart(9)}\n`;
  process.stdout.write(
    `broadcast → SSE clients, ${rounds} rounds each, PostgreSQL + Redis, ${userCount} users\n` +
      row(`baseline: ${baselineClients} clients, 1 instance — each notified`, baseline.each) +
      row(`baseline: ${baselineClients} clients, 1 instance — all notified`, baseline.all) +
      row(`${clients} clients, 1 instance — each notified`, one.each) +
      row(`${clients} clients, 1 instance — all notified`, one.all) +
      row(`${clients} clients, 2 instances via Redis — each notified`, two.each) +
      row(`${clients} clients, 2 instances via Redis — all notified`, two.all) +
      ratio(`ratio ${clients} / ${baselineClients} clients, 1 instance (each)`, one.each, baseline.each) +
      ratio('ratio 2 instances / 1 instance (each)', two.each, one.each) +
      `  memory per connection (VmRSS growth)                 1 instance ${kb(oneMemory[0]!)}, ` +
      `2 instances ${twoMemory.map(kb).join(' and ')}\n`,
  );
  for (const request of open) request.destroy();
  agent.destroy();
  await bus.close();
  await database.close();
  await cleanUp();
  process.exit(0);
}
