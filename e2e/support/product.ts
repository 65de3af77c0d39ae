import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createScratchDatabase } from '../../bff/src/testing/test-database.js';

const root = join(import.meta.dirname, '..', '..');

export const admin = { email: 'admin@e2e.test', password: 'correct horse battery staple' };

export interface Product {
  url: string;
  logs: string[];
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess, logs: string[], readyTimeoutMs: number): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`BFF exited with ${child.exitCode}:\n${logs.join('')}`);
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  // Not left booting in the background, where it would slow whatever is tried next.
  child.kill('SIGKILL');
  throw new Error(`BFF not ready after ${readyTimeoutMs / 1000} s:\n${logs.join('')}`);
}

/**
 * Starts the real BFF (serving the built shell and remotes) on its own port and database.
 * `readyTimeoutMs`: how long to wait for `/readyz` (default 60 s; benchmarks on a loaded machine wait longer).
 */
export async function startProduct(env: Record<string, string> = {}, readyTimeoutMs = 60_000): Promise<Product> {
  const port = await freePort();
  // ATRIUM_E2E_DATABASE_URL (CI sets it for the journeys it runs on PostgreSQL): each product gets
  // its own scratch database on that server, dropped when it stops; unset, in-memory PGlite.
  const scratch = process.env.ATRIUM_E2E_DATABASE_URL
    ? await createScratchDatabase(process.env.ATRIUM_E2E_DATABASE_URL)
    : null;
  const logs: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bff/src/main.ts')], {
    cwd: join(root, 'bff'),
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ATRIUM_DATA_DIR: 'memory://',
      ATRIUM_ADMIN_EMAIL: admin.email,
      ATRIUM_ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: 'warn',
      DATABASE_URL: scratch?.url ?? '',
      // Journeys start from an empty knowledge base; one about the demo documents passes 'true'.
      ATRIUM_SEED_DEMO_KB: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(url, child, logs, readyTimeoutMs);
  return {
    url,
    logs,
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      });
      await scratch?.drop();
    },
  };
}
