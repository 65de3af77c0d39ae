import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createSession } from '../bff/src/auth/sessions.js';
import { type OpenDatabase, openDatabase } from '../bff/src/db/index.js';
import { freePort } from '../bff/src/testing/multi-instance.js';
import { createUser } from '../bff/src/users/accounts.js';

/*
 * Servers in child processes, loaded over real loopback HTTP by this process with one keep-alive
 * client: what chats-rps.ts and chat-list-scale.ts share. A server's CPU is read from
 * /proc/<pid>/stat (utime + stime), so the client's own work never mixes in.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const bffRoot = path.resolve(here, '../bff');
/** The BFF's pinned `pg` (not a dependency of this package). */
const pg = createRequire(path.join(bffRoot, 'package.json'))('pg') as {
  Client: new (options: {
    connectionString: string;
  }) => {
    connect(): Promise<void>;
    query(text: string): Promise<unknown>;
    end(): Promise<void>;
  };
};

export type Driver = 'postgres' | 'pglite';

/** Where a benchmark's data lives: a scratch PostgreSQL database or a PGlite directory; `drop` removes it. */
export interface BenchDatabase {
  driver: Driver;
  /** Environment that points a child server at it. */
  env: Record<string, string>;
  open(): Promise<OpenDatabase>;
  drop(): Promise<void>;
}

/** `bench_<slice>_<pid>` on the server of `baseUrl`, created now and dropped by `drop()`. */
export async function scratchPostgres(baseUrl: string, slice: string): Promise<BenchDatabase> {
  const name = `bench_${slice}_${process.pid}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    driver: 'postgres',
    env: { DATABASE_URL: url.toString() },
    open: () => openDatabase({ driver: 'postgres', url: url.toString() }),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: baseUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** A PGlite directory under the system temp dir; one process at a time may hold it. */
export function scratchPglite(slice: string): BenchDatabase {
  const dir = mkdtempSync(path.join(os.tmpdir(), `bench-${slice}-`));
  const dataDir = path.join(dir, 'pglite');
  return {
    driver: 'pglite',
    env: { ATRIUM_DATA_DIR: dataDir, PGLITE_DIR: dataDir },
    open: () => openDatabase({ driver: 'pglite', dataDir }),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A user (role `user`) with a live 12-hour session and `chats` chats, one minute apart, inserted with one SQL statement. */
export async function seedUser(
  database: OpenDatabase,
  email: string,
  chats: number,
): Promise<{ userId: string; cookie: string }> {
  const now = new Date();
  const user = await createUser(database.db, {
    email,
    displayName: email,
    role: 'user',
    password: 'a perfectly long password',
    now,
  });
  const { token } = await createSession(database.db, {
    userId: user.id,
    now,
    policy: { idleMs: 12 * 3_600_000, absoluteMs: 12 * 3_600_000 },
    userAgent: 'bench',
    ip: '127.0.0.1',
  });
  await database.db.execute(sql`
    insert into chats (user_id, title, preview, created_at, updated_at)
    select ${user.id}, 'chat ' || g, 'a question about item ' || g,
           now() - g * interval '1 minute', now() - g * interval '1 minute'
    from generate_series(1, ${chats}) as g`);
  await database.db.execute(sql`analyze chats`);
  return { userId: user.id, cookie: `atrium_session=${token}` };
}

export interface ServerProcess {
  label: string;
  base: string;
  child: ChildProcess;
  /** utime + stime of the server process so far, in µs. */
  cpuUs(): number;
  stop(): Promise<void>;
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

function cpuUsOf(pid: number): number {
  // Fields after the parenthesised command: state is field 3, utime 14, stime 15 (proc(5)).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1e6;
}

/**
 * Spawns `node [nodeArgs] --import tsx <script>` and resolves once a line of its stdout matches
 * `ready`. Its stdout is read and dropped as it comes (a log shipper's pipe), stderr is kept for errors.
 */
async function startChild(
  label: string,
  cwd: string,
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let head = '';
    const onData = (piece: Buffer) => {
      if (head.length < 100_000) head += piece.toString();
      if (ready.test(head)) {
        head = '';
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (piece: Buffer) => errors.push(piece.toString()));
    child.once('exit', (code) => reject(new Error(`${label} exited with ${code}:\n${head}${errors.join('')}`)));
  });
  return {
    label,
    base: `http://127.0.0.1:${port}`,
    child,
    cpuUs: () => cpuUsOf(child.pid!),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The real BFF (`bff/src/main.ts`) as production runs it: LOG_LEVEL info (one JSON line per
 * request to stdout), metrics on, tracing as configured (off without an OTLP endpoint), the
 * inline worker; no demo knowledge base and no local remote builds, so nothing runs beside the load.
 * `profileDir`: write a `--cpu-prof` profile there on exit. `bffRoot`: another checkout's bff/
 * (an older commit, for a before column); the database is migrated by this checkout first.
 */
export function startBff(
  database: BenchDatabase,
  options: { profileDir?: string; bffRoot?: string } = {},
): Promise<ServerProcess> {
  const env = {
    ...database.env,
    LOG_LEVEL: 'info',
    ATRIUM_SEED_LOCAL_REMOTES: 'false',
    ATRIUM_SEED_DEMO_KB: 'false',
    ATRIUM_ADMIN_EMAIL: 'admin@example.com',
    ATRIUM_ADMIN_PASSWORD: 'a perfectly long admin password',
  };
  const nodeArgs = options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [];
  return startChild('BFF', options.bffRoot ?? bffRoot, 'src/main.ts', env, /Atrium is running at/, nodeArgs);
}

/** The minimal Hono + driver app (minimal-chats-server.ts) on the same database. */
export function startMinimal(database: BenchDatabase): Promise<ServerProcess> {
  return startChild('minimal', here, 'minimal-chats-server.ts', database.env, /^listening \d+/m);
}

/** GET `url` with `headers` through `agent`; resolves with status and body. */
export function get(
  agent: http.Agent,
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

export interface LoadResult {
  rps: number;
  /** The server's CPU time per request, µs. */
  cpuUs: number;
  requests: number;
}

/**
 * `concurrency` loops each sending GET `path` (keep-alive, one socket per loop) to `server` for
 * `seconds`; every answer must be 200. Returns requests/s and the server's CPU per request.
 */
export async function load(
  server: ServerProcess,
  requestPath: string,
  headers: Record<string, string>,
  concurrency: number,
  seconds: number,
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const url = `${server.base}${requestPath}`;
  let requests = 0;
  const cpuBefore = server.cpuUs();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const { status, body } = await get(agent, url, headers);
        if (status !== 200) throw new Error(`${server.label} ${requestPath}: status ${status} ${body.slice(0, 200)}`);
        requests++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = server.cpuUs() - cpuBefore;
  agent.destroy();
  return { rps: requests / elapsed, cpuUs: cpu / requests, requests };
}

/** `count` requests at 16 in flight, unmeasured: the server's JIT and connection pool warm up (bounded to 60 s). */
export async function warmUp(
  server: ServerProcess,
  requestPath: string,
  headers: Record<string, string>,
  count = 1000,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const deadline = performance.now() + 60_000;
  let sent = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (sent < count && performance.now() < deadline) {
        sent++;
        const { status, body } = await get(agent, `${server.base}${requestPath}`, headers);
        if (status !== 200) throw new Error(`${server.label} ${requestPath}: status ${status} ${body.slice(0, 200)}`);
      }
    }),
  );
  agent.destroy();
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export const loadAverage = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
