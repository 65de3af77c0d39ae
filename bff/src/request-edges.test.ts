import net from 'node:net';
import { csrfResponseSchema } from '@atrium/contracts';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from './testing/browser.js';
import { createTestApp, type TestApp, testPassword } from './testing/test-app.js';

// Over a served app (real sockets): what a hostile or broken client can do before or while its
// request is read. The limit here is 1 KB.
let t: TestApp;
let server: ReturnType<typeof serve>;
let port: number;
let cookie: string;
let csrfToken: string;

beforeAll(async () => {
  t = await createTestApp({ env: { ATRIUM_BODY_LIMIT_KB: '1' } });
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as { port: number }).port;
  await t.createUser({ email: 'edges@example.com' });
  const browser = new Browser(t);
  await browser.signIn('edges@example.com', testPassword);
  const csrf = await browser.fetch('GET', '/api/auth/csrf');
  csrfToken = csrfResponseSchema.parse(await csrf.json()).csrfToken;
  browser.csrfToken = csrfToken;
  cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}, 180_000);
afterAll(async () => {
  server?.close();
  await t?.close();
});

/** Sends `head` (and `body`, if any) on a fresh socket; resolves with what came back once the server closes or `waitMs` passes. */
function raw(head: string, body = '', waitMs = 2_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let got = '';
    const done = () => {
      socket.destroy();
      resolve(got);
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (chunk) => {
      got += chunk.toString('latin1');
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(got);
    });
    socket.on('error', () => undefined);
    socket.write(head + body);
  });
}

const statusOf = (response: string) => Number(response.slice(9, 12));

describe('requests with no body to read', { timeout: 60_000 }, () => {
  it('refuses a GET announcing a body over the limit from its headers, and closes', async () => {
    const response = await raw(
      `GET /api/chats HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nContent-Length: 1000000000\r\n\r\n`,
      'x'.repeat(4096),
    );
    expect(statusOf(response)).toBe(413);
    expect(response).toContain('"code":"request.too_large"');
    expect(response.toLowerCase()).toContain('connection: close');
  });

  it('refuses a chunked GET body with 400 request.invalid, and closes', async () => {
    const response = await raw(
      `GET /api/chats HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nTransfer-Encoding: chunked\r\n\r\n`,
      '5\r\nhello\r\n',
    );
    expect(statusOf(response)).toBe(400);
    expect(response).toContain('"code":"request.invalid"');
    expect(response.toLowerCase()).toContain('connection: close');
  });

  it('still serves a GET with a small body, and the next request on the socket', async () => {
    const response = await raw(
      `GET /api/chats HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nContent-Length: 2\r\n\r\n{}` +
        `GET /api/chats HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`,
    );
    expect(response.match(/HTTP\/1\.1 200/g)).toHaveLength(2);
  });

  it('answers HEAD /api/events with the stream headers and holds no stream open', async () => {
    const before = t.runtime.sse.connectionCount();
    const response = await raw(
      `HEAD /api/events HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`,
    );
    expect(statusOf(response)).toBe(200);
    expect(response.toLowerCase()).toContain('content-type: text/event-stream');
    expect(t.runtime.sse.connectionCount()).toBe(before);
  });
});

describe('a client that goes away while sending its body', { timeout: 60_000 }, () => {
  it('is logged as an aborted request, not as an unhandled error', async () => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /api/chats HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost\r\nCookie: ${cookie}; atrium_csrf=${csrfToken}\r\n` +
        `X-CSRF-Token: ${csrfToken}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"title":"a`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.destroy();
    const line = () => t.logs.find((l) => l.msg === 'request aborted by the client' || l.msg === 'unhandled error');
    for (let i = 0; i < 100 && !line(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(line()).toMatchObject({ msg: 'request aborted by the client' });
    expect(t.logs.some((l) => l.msg === 'unhandled error')).toBe(false);
  });
});
