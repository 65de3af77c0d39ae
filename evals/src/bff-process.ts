import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..');

export interface BffProcess {
  url: string;
  /** Everything the BFF wrote to stdout and stderr so far (for a failed start or a failed run). */
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
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

async function waitUntilReady(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the BFF exited with ${child.exitCode}:\n${output()}`);
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the BFF was not ready after ${timeoutMs / 1000} s:\n${output()}`);
}

/**
 * Starts the real BFF (`tsx bff/src/main.ts`) on a free port of 127.0.0.1 and waits for
 * `/readyz`. It inherits this process's environment (so `OPENAI_*` selects model answers), then
 * `env` on top. Throws with the BFF's output when it exits or is not ready within `readyTimeoutMs`.
 */
export async function startBff(env: Record<string, string>, readyTimeoutMs = 90_000): Promise<BffProcess> {
  const port = await freePort();
  const chunks: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'bff/src/main.ts')], {
    cwd: join(repoRoot, 'bff'),
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const output = () => chunks.join('');
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(url, child, output, readyTimeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, output, stop };
}
