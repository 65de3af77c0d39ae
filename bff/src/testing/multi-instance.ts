import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../config.js';
import type { TestApp } from './test-app.js';

const bffRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The multi-instance suite runs against real services; without them it fails and says how to run it. */
export function requireServices(): { databaseUrl: string; redisUrl: string } {
  const config = loadConfig();
  if (config.database.driver !== 'postgres' || !config.redisUrl) {
    throw new Error(
      'The multi-instance suite needs PostgreSQL and Redis: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) ' +
        'and REDIS_URL (e.g. redis://127.0.0.1:6379), as .ci/run does.',
    );
  }
  return { databaseUrl: config.database.url, redisUrl: config.redisUrl };
}

export async function createScratchDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `atrium_multi_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: baseUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface BffProcess {
  port: number;
  base: string;
  child: ChildProcess;
  output: string[];
  /** A target for testing/browser.ts: requests go over real HTTP to this process. */
  target: Pick<TestApp, 'app'>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A real BFF (`node --import tsx bff/src/main.ts`) on its own port; resolves once it listens. */
export async function startBff(env: Record<string, string>): Promise<BffProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: bffRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (piece: Buffer) => {
      output.push(piece.toString());
      if (piece.toString().includes('Atrium is running at')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (piece: Buffer) => output.push(piece.toString()));
    child.once('exit', (code) => reject(new Error(`BFF exited with ${code} before listening:\n${output.join('')}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    base,
    child,
    output,
    target: {
      app: {
        request: ((url: string, init?: RequestInit) => {
          const target = new URL(url);
          return fetch(`${base}${target.pathname}${target.search}`, init);
        }) as unknown as TestApp['app']['request'],
      } as TestApp['app'],
    },
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

/** A real worker process (`node --import tsx bff/src/worker-main.ts`); resolves once it prints `readyText`. */
export function startWorker(env: Record<string, string>, readyText = 'worker running'): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker-main.ts'], {
    cwd: bffRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (piece: Buffer) => {
      output.push(piece.toString());
      if (output.join('').includes(readyText)) resolve({ child, output, exited });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}:\n${output.join('')}`)));
  });
}
