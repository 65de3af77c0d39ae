import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { Browser } from './testing/browser.js';
import { SseReader } from './testing/sse-reader.js';
import type { TestApp } from './testing/test-app.js';

const bffRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const startScript: string = JSON.parse(readFileSync(path.join(bffRoot, 'package.json'), 'utf8')).scripts.start;
const admin = { email: 'admin@example.com', password: 'a perfectly long password' };

interface Started {
  child: ChildProcess;
  base: string;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The package's `start` script run the way pnpm runs it (`sh -c`), in a process group of its own
 * as a terminal's foreground job is: Ctrl-C signals every process in the group at once.
 */
async function runStartScript(): Promise<Started> {
  const child = spawn('sh', ['-c', startScript], {
    cwd: bffRoot,
    detached: true,
    env: {
      // pnpm puts the package's bin folder first on PATH for its scripts.
      PATH: `${path.join(bffRoot, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
      HOME: process.env.HOME ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      ATRIUM_DATA_DIR: 'memory://',
      ATRIUM_ADMIN_EMAIL: admin.email,
      ATRIUM_ADMIN_PASSWORD: admin.password,
      ATRIUM_SEED_LOCAL_REMOTES: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<Started extends { exited: Promise<infer E> } ? E : never>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (piece: Buffer) => {
      output.push(piece.toString());
      const port = /Atrium is running at http:\/\/localhost:(\d+)/.exec(output.join(''))?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
    child.stderr!.on('data', (piece: Buffer) => output.push(piece.toString()));
    child.once('exit', (code) =>
      reject(new Error(`the BFF exited with ${code} before listening:\n${output.join('')}`)),
    );
  });
  return { child, base, output, exited };
}

const overHttp = (base: string) =>
  ({
    app: {
      request: (url: string, init?: RequestInit) => {
        const target = new URL(url);
        return fetch(`${base}${target.pathname}${target.search}`, init);
      },
    },
  }) as unknown as TestApp;

it.each(['SIGINT', 'SIGTERM'] as const)(
  'the start script ends with exit code 0 after a clean shutdown on %s, with an event stream open',
  async (signal) => {
    const bff = await runStartScript();
    try {
      const browser = new Browser(overHttp(bff.base), { origin: bff.base });
      expect((await browser.signIn(admin.email, admin.password)).status).toBe(200);
      const events = await browser.fetch('GET', '/api/events');
      expect(events.status).toBe(200);
      const stream = new SseReader(events.body!);
      await stream.next();

      process.kill(-bff.child.pid!, signal);
      expect(await bff.exited, bff.output.join('')).toEqual({ code: 0, signal: null });
      // The open stream was ended by the server before it exited.
      while (await stream.next());
    } finally {
      if (bff.child.exitCode === null && bff.child.signalCode === null) process.kill(-bff.child.pid!, 'SIGKILL');
    }
  },
  60_000,
);
