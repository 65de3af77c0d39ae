import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';

let t: TestApp;
let server: ReturnType<typeof serve>;
let port: number;
let origin: string;

beforeAll(async () => {
  t = await createTestApp();
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the test server has no port');
  port = address.port;
  origin = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One keep-alive HTTP/1.1 connection spoken byte by byte, so the test sees exactly what a
 * client reusing the socket would: responses in order, anything else the server writes, and
 * whether the server closed.
 */
class Connection {
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  readonly socket: Socket;
  closedByServer = false;
  readonly closed: Promise<void>;

  constructor() {
    this.socket = connect(port, '127.0.0.1');
    // Writing into a socket the server has closed fails; that is the server's right, not the test's error.
    this.socket.on('error', () => {});
    this.socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      this.socket.once('close', () => {
        this.closedByServer = true;
        this.wake();
        resolve();
      }),
    );
  }

  private wake() {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  write(data: string | Buffer) {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  /** The next complete response, or null if the server closed first. */
  async response(): Promise<RawResponse | null> {
    for (;;) {
      const parsed = this.parse();
      if (parsed) return parsed;
      if (this.closedByServer) return null;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private parse(): RawResponse | null {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end === -1) return null;
    const [statusLine = '', ...lines] = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
    const headers = Object.fromEntries(
      lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
    );
    let rest = this.buffer.subarray(end + 4);
    let body = Buffer.alloc(0);
    if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        const sizeEnd = rest.indexOf('\r\n');
        if (sizeEnd === -1) return null;
        const size = Number.parseInt(rest.subarray(0, sizeEnd).toString('latin1'), 16);
        if (rest.length < sizeEnd + 2 + size + 2) return null;
        body = Buffer.concat([body, rest.subarray(sizeEnd + 2, sizeEnd + 2 + size)]);
        rest = rest.subarray(sizeEnd + 2 + size + 2);
        if (size === 0) break;
      }
    } else {
      const length = Number(headers['content-length'] ?? 0);
      if (rest.length < length) return null;
      body = rest.subarray(0, length);
      rest = rest.subarray(length);
    }
    this.buffer = rest;
    return { status: Number(statusLine.split(' ')[1]), headers, body: body.toString('utf8') };
  }

  /** Bytes received after the last complete response. */
  leftover(): string {
    return this.buffer.toString('latin1');
  }

  end() {
    this.socket.destroy();
  }
}

const json = (headers: Record<string, string> = {}) =>
  Object.entries({ Host: `127.0.0.1:${port}`, Origin: origin, 'Sec-Fetch-Site': 'same-origin', ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');

const healthCheck = () => `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;

interface EarlyRefusal {
  what: string;
  /** The request line and headers; the body follows, only partly sent. */
  head: () => string;
  body: string;
  status: number;
}

const declared = (bytes: number, headers: Record<string, string>) =>
  json({ 'Content-Type': 'application/json', 'Content-Length': String(bytes), ...headers });

const refusals: EarlyRefusal[] = [
  {
    what: 'a JSON body over the API limit, by its Content-Length (413)',
    head: () => `POST /api/chats HTTP/1.1\r\n${declared(10 * 1024 * 1024, {})}\r\n`,
    body: '{"title":"',
    status: 413,
  },
  {
    what: 'a chunked JSON body that grows past the API limit (413)',
    head: () =>
      `POST /api/chats HTTP/1.1\r\n${json({ 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' })}\r\n`,
    // One chunk just past 100 KB, and no last chunk: the rest of the body never comes.
    body: `${(101 * 1024).toString(16)}\r\n${'x'.repeat(101 * 1024)}\r\n`,
    status: 413,
  },
  {
    what: 'a blob over the registry limit (413)',
    head: () =>
      `PUT /api/registry/blobs/${'a'.repeat(96)} HTTP/1.1\r\n${json({
        Authorization: 'Bearer not-a-token',
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(64 * 1024 * 1024),
      })}\r\n`,
    body: 'x'.repeat(1024),
    status: 413,
  },
  {
    what: 'a cross-site POST (403 CSRF)',
    head: () =>
      `POST /api/chats HTTP/1.1\r\n${declared(90 * 1024, { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' })}\r\n`,
    body: '{"title":"',
    status: 403,
  },
  {
    what: 'a body that is not JSON (415)',
    head: () =>
      `POST /api/chats HTTP/1.1\r\n${json({ 'Content-Type': 'text/plain', 'Content-Length': String(90 * 1024) })}\r\n`,
    body: 'hello',
    status: 415,
  },
  {
    what: 'a publish with an unknown deploy token (401, before the body is read)',
    head: () =>
      `POST /api/registry/remotes/chat-core/publish HTTP/1.1\r\n${declared(512 * 1024, { Authorization: 'Bearer not-a-token' })}\r\n`,
    body: '{"version":"',
    status: 401,
  },
  {
    what: 'a POST to a path that names no route (404)',
    head: () => `POST /no-such-page HTTP/1.1\r\n${declared(1024 * 1024, {})}\r\n`,
    body: '{"a":',
    status: 404,
  },
  {
    what: 'a path holding U+0000 (400 request.invalid_text)',
    head: () => `POST /api/chats/a%00b/messages HTTP/1.1\r\n${declared(1024 * 1024, {})}\r\n`,
    body: '{"content":"',
    status: 400,
  },
];

describe('a refused request body never leaves a keep-alive connection half-read', () => {
  it.each(refusals)('$what: answers Connection: close and closes the socket', async ({ head, body, status }) => {
    const connection = new Connection();
    connection.write(head() + body);
    const response = await connection.response();
    expect(response?.status).toBe(status);
    expect(response?.headers.connection).toBe('close');
    // A client that reuses the socket anyway gets no answer parsed out of the unread body.
    connection.write(healthCheck());
    await connection.closed;
    expect(await connection.response()).toBeNull();
    expect(connection.leftover()).toBe('');
    // …and a new connection is served as usual.
    const next = new Connection();
    next.write(healthCheck());
    expect((await next.response())?.status).toBe(200);
    next.end();
  });

  it('keeps the connection open when the refused request had no body, or its body was read', async () => {
    const connection = new Connection();
    connection.write(`GET /api/me HTTP/1.1\r\n${json()}\r\n`);
    const refused = await connection.response();
    expect(refused?.status).toBe(401);
    expect(refused?.headers.connection).not.toBe('close');
    const batch = JSON.stringify({
      reports: [{ kind: 'load', report: { remote: 'chat-core', version: '1.0.0', outcome: 'ok', ms: 5 } }],
    });
    connection.write(
      `POST /api/telemetry HTTP/1.1\r\n${json({ 'Content-Type': 'text/plain', 'Content-Length': String(batch.length) })}\r\n${batch}`,
    );
    const accepted = await connection.response();
    expect(accepted?.status).toBe(202);
    expect(accepted?.headers.connection).not.toBe('close');
    connection.write(healthCheck());
    expect((await connection.response())?.status).toBe(200);
    expect(connection.closedByServer).toBe(false);
    connection.end();
  });
});
