import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * Issue 12, SSE rows: memory per open event stream and one broadcast to every stream, our BFF
 * against a bare `node:http` server holding the same connections, both measured in this one run.
 *
 * The two servers run in child processes of this script (`--child bare|ours`), so VmRSS is the
 * server's own; the clients live here. A round is timed from the moment this process asks the
 * server to publish (over IPC) until the last client has parsed the event. The bare server
 * serializes the event and writes the frame to every response; ours publishes through the real
 * path (`publishBroadcast`: the broadcast log row, then the bus, then every stream).
 */

const help = `
sse-memory — SSE memory per open connection and one broadcast to every connection: our BFF
  (real app through @hono/node-server, real GET /api/events with sessions of several users, PGlite
  in memory or PostgreSQL) against a bare node:http server holding the same connections
  (writeHead 200 text/event-stream, a ': ping' heartbeat, one JSON.stringify per broadcast).
  Both servers are child processes; memory per connection = (VmRSS after connecting − before) / N,
  read without forcing GC (as the issue measured it); also the JS heap + external retained per
  connection after a forced GC (children run with --expose-gc).
  Broadcast: from the publish request (IPC to the server) to the LAST client having parsed the
  event; each client's delay is reported too (p50/p99 over all rounds).
  --clients N    SSE connections per server (default 2000, at most 10000)
  --users U      users the BFF's connections belong to, one session each (default 20)
  --rounds R     broadcasts per server (default 20)
  --only S       run only 'bare' or 'ours' (no ratio)
  --before      ours through the web-stream path (streamSSE), as before issue 12
  --postgres     ours on PostgreSQL (DATABASE_URL; scratch database bench_sse_<pid>, dropped after)
  Needs an fd limit above --clients (e.g. bash -c 'ulimit -n 20000 && npx tsx sse-memory.ts').
  Stops by itself after 15 minutes at most.
`;

type ToChild = { kind: 'publish'; reason: string } | { kind: 'gc' } | { kind: 'quit' };
type FromChild =
  | { kind: 'ready'; port: number; cookies: string[] }
  | { kind: 'published' }
  | { kind: 'collected'; heap: number }
  | { kind: 'failed'; error: string };

const heartbeatMs = 15_000;

if (process.argv.includes('--child')) {
  const which = process.argv[process.argv.indexOf('--child') + 1];
  const send = (message: FromChild) => process.send!(message);
  // Both servers collect garbage on request before each VmRSS reading: the growth is what stays.
  process.on('message', (message: ToChild) => {
    if (message.kind !== 'gc') return;
    (globalThis as { gc?: () => void }).gc?.();
    setTimeout(() => {
      (globalThis as { gc?: () => void }).gc?.();
      const usage = process.memoryUsage();
      send({ kind: 'collected', heap: usage.heapUsed + usage.external });
    }, 200);
  });
  if (which === 'bare') {
    // The baseline: what an event stream needs at the least from node itself.
    const open = new Set<http.ServerResponse>();
    const server = http.createServer((_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
        'X-Accel-Buffering': 'no',
      });
      res.write('retry: 3000\nid: 0.0\n\n: live\n\n');
      open.add(res);
      res.on('close', () => open.delete(res));
    });
    setInterval(() => {
      for (const res of open) res.write(': ping\n\n');
    }, heartbeatMs).unref();
    let seq = 0;
    process.on('message', (message: ToChild) => {
      if (message.kind === 'quit') process.exit(0);
      if (message.kind !== 'publish') return;
      seq += 1;
      const frame = `id: 0.${seq}\ndata: ${JSON.stringify({ type: 'release.changed', remote: 'admin', reason: message.reason })}\n\n`;
      for (const res of open) res.write(frame);
      send({ kind: 'published' });
    });
    server.listen(0, '127.0.0.1', () =>
      send({ kind: 'ready', port: (server.address() as { port: number }).port, cookies: [] }),
    );
  } else {
    // One at a time: parallel dynamic imports of modules that import each other can stall.
    const { serve } = await import('@hono/node-server');
    const { assemble } = await import('../bff/src/assemble.js');
    const { createSession } = await import('../bff/src/auth/sessions.js');
    const { systemClock } = await import('../bff/src/clock.js');
    const { loadConfig } = await import('../bff/src/config.js');
    const db = await import('../bff/src/db/index.js');
    const { createLogger } = await import('../bff/src/logger.js');
    const events = await import('../bff/src/realtime/event-log.js');
    const accounts = await import('../bff/src/users/accounts.js');
    const config = loadConfig({
      ...(process.env.BENCH_DATABASE_URL
        ? { DATABASE_URL: process.env.BENCH_DATABASE_URL }
        : { ATRIUM_DATA_DIR: 'memory://' }),
      ATRIUM_SEED_LOCAL_REMOTES: 'false',
      ATRIUM_SEED_DEMO_KB: 'false',
      LOG_LEVEL: 'warn',
    });
    const logger = createLogger('warn');
    const database = await db.openDatabase(config.database, logger);
    const assembled = await assemble({ config, db: database.db, clock: systemClock, logger });
    const cookies: string[] = [];
    for (let u = 0; u < Number(process.env.BENCH_USERS ?? 20); u++) {
      const user = await accounts.createUser(database.db, {
        email: `sse-${u}@example.com`,
        displayName: `sse ${u}`,
        role: 'user',
        password: 'a perfectly long password',
        now: systemClock.now(),
      });
      const session = await createSession(database.db, {
        userId: user.id,
        now: systemClock.now(),
        policy: { idleMs: 3_600_000, absoluteMs: 3_600_000 },
        userAgent: 'sse-memory',
        ip: '127.0.0.1',
      });
      cookies.push(`atrium_session=${session.token}`);
    }
    process.on('message', (message: ToChild) => {
      if (message.kind === 'quit') process.exit(0);
      if (message.kind !== 'publish') return;
      events
        .publishBroadcast(
          { db: database.db, bus: assembled.runtime.bus, clock: systemClock },
          { type: 'release.changed', remote: 'admin', reason: message.reason },
        )
        .then(
          () => send({ kind: 'published' }),
          (error: Error) => send({ kind: 'failed', error: error.message }),
        );
    });
    // --before: no node bindings reach the app, so the hub takes its web-stream path (streamSSE),
    // as every stream did before issue 12.
    const fetch = process.env.BENCH_WEB_STREAMS
      ? (request: Request) => assembled.app.fetch(request)
      : assembled.app.fetch;
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      send({ kind: 'ready', port: info.port, cookies }),
    );
    void server;
  }
} else {
  const { flag, helpRequested, openReleaseStream, summary } = await import('./harness.js');
  if (helpRequested(help)) process.exit(0);
  const clients = Math.min(flag('clients', 2000), 10_000);
  const userCount = flag('users', 20);
  const rounds = flag('rounds', 20);
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : null;
  const roundTimeoutMs = 30_000;
  const load = () =>
    os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ');
  const loadAtStart = load();

  const openFiles = Number(/Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? 0);
  if (openFiles < clients + 200) {
    throw new Error(`fd limit ${openFiles} is too low for ${clients} clients: run under ulimit -n ${clients + 1000}`);
  }

  let scratch: { url: string; drop(): Promise<void> } | null = null;
  if (process.argv.includes('--postgres')) {
    const pg = (await import('pg')).default;
    const base = process.env.DATABASE_URL;
    if (!base) throw new Error('--postgres needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
    const name = `bench_sse_${process.pid}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    scratch = {
      url: url.toString(),
      drop: async () => {
        const dropper = new pg.Client({ connectionString: base });
        await dropper.connect();
        await dropper.query(`drop database if exists ${name} with (force)`);
        await dropper.end();
      },
    };
  }

  const children: ChildProcess[] = [];
  const giveUp = setTimeout(() => {
    process.stderr.write('sse-memory: gave up after 15 minutes\n');
    for (const child of children) child.kill('SIGKILL');
    void (scratch?.drop() ?? Promise.resolve()).finally(() => process.exit(1));
  }, 900_000);
  giveUp.unref();

  /** Starts one server as a child process; resolves with its port and the session cookies to use. */
  function startChild(which: 'bare' | 'ours') {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', which],
      {
        cwd: process.cwd(),
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          BENCH_USERS: String(userCount),
          ...(scratch ? { BENCH_DATABASE_URL: scratch.url } : {}),
          ...(process.argv.includes('--before') ? { BENCH_WEB_STREAMS: '1' } : {}),
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    children.push(child);
    const messages: ((message: FromChild) => void)[] = [];
    child.on('message', (message: FromChild) => {
      if (message.kind === 'failed') throw new Error(`${which}: ${message.error}`);
      messages.shift()?.(message);
    });
    const next = () => new Promise<FromChild>((resolve) => messages.push(resolve));
    return { child, next, send: (message: ToChild) => child.send(message) };
  }

  const rssKb = (pid: number) =>
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
  const settle = (ms = 1_000) => new Promise((resolve) => setTimeout(resolve, ms));

  async function measure(which: 'bare' | 'ours') {
    const server = startChild(which);
    const ready = (await server.next()) as Extract<FromChild, { kind: 'ready' }>;
    const base = `http://127.0.0.1:${ready.port}`;
    const cookies = ready.cookies.length > 0 ? ready.cookies : [''];

    const arrivals = new Map<string, number[]>();
    let roundDone: (() => void) | null = null;
    const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
    const open: http.ClientRequest[] = [];
    const arrived = (reason: string) => {
      const times = arrivals.get(reason) ?? [];
      times.push(performance.now());
      arrivals.set(reason, times);
      if (times.length === open.length) roundDone?.();
    };
    /** One tab's stream (see `openReleaseStream`); resolves at `: live`. */
    const connect = (cookie: string) =>
      openReleaseStream(`${base}/api/events`, { agent, cookie, label: `${which} events`, open }, arrived);

    // Warm up (first requests compile code paths), then measure the growth from N more.
    for (let i = 0; i < 20; i++) await connect(cookies[i % cookies.length]!);
    await settle(1_000);
    const before = rssKb(server.child.pid!);
    server.send({ kind: 'gc' });
    const beforeHeap = ((await server.next()) as Extract<FromChild, { kind: 'collected' }>).heap;
    for (let done = 0; done < clients; done += 100) {
      const opened = open.length;
      await Promise.all(
        Array.from({ length: Math.min(100, clients - done) }, (_, i) =>
          connect(cookies[(opened + i) % cookies.length]!),
        ),
      );
    }
    await settle(1_000);
    const after = rssKb(server.child.pid!);
    server.send({ kind: 'gc' });
    const afterHeap = ((await server.next()) as Extract<FromChild, { kind: 'collected' }>).heap;
    const perConnection = ((after - before) * 1024) / clients;
    const retained = (afterHeap - beforeHeap) / clients;

    const each: number[] = [];
    const all: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const reason = `${which} ${round}`;
      const done = new Promise<void>((resolve, reject) => {
        roundDone = resolve;
        setTimeout(() => reject(new Error(`${reason}: not every client was notified`)), roundTimeoutMs).unref();
      });
      const sent = performance.now();
      server.send({ kind: 'publish', reason });
      await done;
      const times = arrivals.get(reason)!.map((at) => at - sent);
      arrivals.delete(reason);
      each.push(...times);
      all.push(Math.max(...times));
      await settle(100);
    }
    for (const request of open) request.destroy();
    agent.destroy();
    server.send({ kind: 'quit' });
    await new Promise((resolve) => server.child.once('exit', resolve));
    return { perConnection, retained, before, after, each: summary(each), all: summary(all) };
  }

  const results: Partial<Record<'bare' | 'ours', Awaited<ReturnType<typeof measure>>>> = {};
  try {
    if (only !== 'ours') results.bare = await measure('bare');
    if (only !== 'bare') results.ours = await measure('ours');
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await scratch?.drop();
  }

  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const lines = [
    `SSE${process.argv.includes('--before') ? ' (--before: streamSSE path)' : ''}: ${clients} connections per server, ${rounds} broadcasts, ours on ${scratch ? 'PostgreSQL' : 'PGlite (memory)'} with ${userCount} users`,
    `load average at start ${loadAtStart}`,
  ];
  for (const [name, r] of Object.entries(results)) {
    lines.push(
      `  ${name.padEnd(5)} memory per connection ${kb(r.perConnection).padStart(9)} (VmRSS ${r.before} → ${r.after} KB), JS heap + external after GC ${kb(r.retained)}` +
        `\n       ` +
        `   all notified p50 ${ms(r.all.p50)} p99 ${ms(r.all.p99)}   each notified p50 ${ms(r.each.p50)} p99 ${ms(r.each.p99)}`,
    );
  }
  const { bare, ours } = results;
  if (bare && ours) {
    lines.push(
      `  figure / baseline / ratio — memory per connection: ${kb(ours.perConnection)} / ${kb(bare.perConnection)} / ${(ours.perConnection / bare.perConnection).toFixed(2)}×`,
      `  figure / baseline / ratio — heap retained per conn: ${kb(ours.retained)} / ${kb(bare.retained)} / ${(ours.retained / bare.retained).toFixed(2)}×`,
      `  figure / baseline / ratio — all notified p99:      ${ms(ours.all.p99)} / ${ms(bare.all.p99)} / ${(ours.all.p99 / bare.all.p99).toFixed(2)}×`,
      `  figure / baseline / ratio — all notified p50:      ${ms(ours.all.p50)} / ${ms(bare.all.p50)} / ${(ours.all.p50 / bare.all.p50).toFixed(2)}×`,
      `  figure / baseline / ratio — each notified p99:     ${ms(ours.each.p99)} / ${ms(bare.each.p99)} / ${(ours.each.p99 / bare.each.p99).toFixed(2)}×`,
    );
  }
  lines.push(`load average at end ${load()}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exit(0);
}
