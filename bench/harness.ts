import type http from 'node:http';
import { get as httpGet } from 'node:http';
import { chatResponseSchema } from '@atrium/contracts';
import { serve } from '@hono/node-server';
import { Browser } from '../bff/src/testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../bff/src/testing/test-app.js';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function summary(samples: number[]): { p50: number; p99: number; n: number } {
  const sorted = [...samples].sort((x, y) => x - y);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length };
}

export function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

export function helpRequested(text: string): boolean {
  if (!process.argv.includes('--help')) return false;
  process.stdout.write(`${text.trim()}\n`);
  return true;
}

/** The real app (in-memory PGlite) served over loopback HTTP, with one signed-in user. */
export async function servedApp(options: Parameters<typeof createTestApp>[0] = {}) {
  const t: TestApp = await createTestApp(options);
  await t.createUser({ email: 'bench@example.com' });
  const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  // Real HTTP over loopback: the browser's requests go to the socket, not through app.request.
  const target = { app: { request: (url: string, init?: RequestInit) => fetch(url, init) } } as unknown as TestApp;
  const browser = new Browser(target, { origin: base });
  await browser.signIn('bench@example.com', testPassword);
  const newChat = async () =>
    chatResponseSchema.parse(await (await browser.fetch('POST', '/api/chats', { body: { title: 'bench' } })).json())
      .chat.id;
  return {
    t,
    base,
    browser,
    newChat,
    close: async () => {
      server.close();
      await t.close();
    },
  };
}

/**
 * One tab's `GET /api/events` stream, parsed just enough to time `release.changed`: each such
 * event's `reason` goes to `onReason`. Resolves at the stream's `: live` comment (replay done),
 * rejects on a non-200 answer (message prefixed with `label`). The request is pushed to `open`
 * so the caller can destroy every stream at the end.
 */
export function openReleaseStream(
  url: string,
  options: { agent: http.Agent; cookie: string; label: string; open: http.ClientRequest[] },
  onReason: (reason: string) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const headers: Record<string, string> = options.cookie ? { Cookie: options.cookie } : {};
    const request = httpGet(url, { agent: options.agent, headers }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`${options.label}: ${response.statusCode}`));
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame === ': live') resolve();
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (!data) continue;
          const event = JSON.parse(data) as { type: string; reason?: string };
          if (event.type === 'release.changed' && event.reason) onReason(event.reason);
        }
      });
      response.on('error', () => undefined);
    });
    request.on('error', reject);
    options.open.push(request);
  });
}
