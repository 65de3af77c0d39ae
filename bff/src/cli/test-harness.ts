import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';
import type { CliEnv } from './context.js';
import { main } from './main.js';

const bin = fileURLToPath(new URL('../../bin/atrium.mjs', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  /** Written to the CLI's stdin, which is then closed. */
  input?: string;
  cwd?: string;
}

/** The real CLI as a child process, the way a person or CI runs it; stdin and stderr are pipes, not a TTY. */
export async function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? tmpdir(),
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.end(options.input ?? '');
  const [code] = await once(child, 'close');
  return { code: typeof code === 'number' ? code : null, stdout, stderr };
}

export interface CliServer {
  url: string;
  t: TestApp;
  close(): Promise<void>;
}

/** The real BFF on a free port: in-memory PGlite (or DATABASE_URL), nothing seeded from local builds. */
export async function startCliServer(env: Record<string, string> = {}): Promise<CliServer> {
  const t = await createTestApp({ env: { ATRIUM_SEED_LOCAL_REMOTES: 'false', ...env } });
  const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the test server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    t,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

export { testPassword };

/** A throwaway directory; `files` maps relative paths to contents. */
export function tempDir(files: Record<string, string | Uint8Array> = {}): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'atrium-cli-'));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The CLI in this process with a pretend terminal on stdin and stderr, for what a child process
 * with pipes cannot show: prompts. `typed` is what the person types; `rawModes` records echo toggles.
 */
export async function runOnTerminal(args: string[], env: CliEnv, typed: string) {
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    rawModes: [] as boolean[],
    setRawMode(raw: boolean) {
      stdin.rawModes.push(raw);
      return stdin;
    },
  });
  const collect = () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, text: '' });
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      stream.text += chunk;
    });
    return stream;
  };
  const stdout = collect();
  const stderr = collect();
  stdin.write(typed);
  const code = await main(args, { env, cwd: tmpdir(), stdin, stdout, stderr, now: () => performance.now() });
  return { code, stdout: stdout.text, stderr: stderr.text, rawModes: stdin.rawModes };
}
