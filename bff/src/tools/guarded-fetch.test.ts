import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { guardedFetch, type OutboundPolicy } from './outbound-guard.js';

/*
 * `guardedFetch`, the fetch the MCP SDK's client transport is given: requests pass the same guard
 * as HTTP tools, bodies stream (an SSE stream is readable before it ends), redirects are checked.
 */

let server: Server;
let base: string;
let held: ServerResponse | null = null;
const seen: { method: string; body: string; auth: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', body, auth: req.headers.authorization });
      if (req.url === '/sse') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: first\n\n');
        held = res;
      } else if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('x'.repeat(5_000));
      } else if (req.url?.startsWith('/redirect')) {
        res.writeHead(307, { location: new URL(req.url, 'http://x').searchParams.get('to')! }).end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] }).end('{"ok":true}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  held?.end();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const policy: OutboundPolicy = { allowHosts: ['127.0.0.1', 'internal.test'], allowAddresses: ['127.0.0.1'] };

describe('guardedFetch', () => {
  it('sends method, headers and body, and answers a WHATWG Response', async () => {
    const response = await guardedFetch(policy)(`${base}/json`, {
      method: 'POST',
      headers: new Headers({ authorization: 'Bearer t', 'content-type': 'application/json' }),
      body: '{"jsonrpc":"2.0"}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ ok: true });
    expect(seen.at(-1)).toEqual({ method: 'POST', body: '{"jsonrpc":"2.0"}', auth: 'Bearer t' });
  });

  it('errors a body past its byte cap instead of reading it all into memory', async () => {
    expect(await (await guardedFetch(policy, 5_000)(`${base}/big`)).text()).toHaveLength(5_000);
    const response = await guardedFetch(policy, 4_999)(`${base}/big`);
    await expect(response.text()).rejects.toThrow();
  });

  it('streams a body that has not ended (an SSE stream)', async () => {
    const controller = new AbortController();
    const response = await guardedFetch(policy)(`${base}/sse`, { signal: controller.signal });
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe('data: first\n\n');
    controller.abort();
  });

  it('refuses a URL or a redirect target the guard refuses, before connecting there', async () => {
    const refused = async (url: string, p: OutboundPolicy = policy) => {
      const error = await guardedFetch(p)(url).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, url).toBeInstanceOf(AppError);
      return (error as AppError).code;
    };
    expect(await refused('http://169.254.169.254/latest/meta-data')).toBe('tool.url_not_allowed');
    expect(await refused(`${base}/json`, { allowHosts: ['127.0.0.1'] })).toBe('tool.url_not_allowed');
    const resolvesToLoopback: OutboundPolicy = {
      ...policy,
      resolve: async () => [{ address: '127.0.0.2', family: 4 }],
    };
    expect(
      await refused(`${base}/redirect?to=${encodeURIComponent('http://internal.test/')}`, resolvesToLoopback),
    ).toBe('tool.url_not_allowed');
  });
});
