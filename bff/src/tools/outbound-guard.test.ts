import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import {
  checkOutboundUrl,
  guardedRequest,
  hostAllowed,
  isPublicAddress,
  type OutboundPolicy,
} from './outbound-guard.js';

/*
 * SSRF attempts (issue 10 item 7) against the guard every admin-typed URL passes. The DNS seam
 * stands in for a resolver an attacker controls; the local server is reached only because the
 * test exempts exactly 127.0.0.1 — every other non-public address stays refused.
 */

const refusedWith = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
};

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::127.0.0.1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '64:ff9b::7f00:1',
    '2002:7f00:1::',
    'not an address',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8'])('accepts %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('hostAllowed', () => {
  it('matches exact hosts, and subdomains only for a wildcard', () => {
    expect(hostAllowed('api.example.com', ['api.example.com'])).toBe(true);
    expect(hostAllowed('evil-api.example.com', ['api.example.com'])).toBe(false);
    expect(hostAllowed('a.example.com', ['*.example.com'])).toBe(true);
    expect(hostAllowed('example.com', ['*.example.com'])).toBe(false);
    expect(hostAllowed('badexample.com', ['*.example.com'])).toBe(false);
  });
});

describe('checkOutboundUrl', () => {
  const literals = ['127.0.0.1', '[::1]', '[::ffff:127.0.0.1]', '169.254.169.254', '10.0.0.5', '0.0.0.0'];

  it.each(literals)('refuses the literal address %s even when the host is allowed', async (host) => {
    const bare = new URL(`http://${host}/`).hostname.replace(/^\[|\]$/g, '');
    expect(await refusedWith(checkOutboundUrl(`http://${host}/x`, { allowHosts: [bare] }))).toBe(
      'tool.url_not_allowed',
    );
  });

  it.each(['http://2130706433/', 'http://0177.0.0.1/', 'http://0x7f.1/', 'http://017700000001/'])(
    'reads the decimal/octal/hex form %s as 127.0.0.1 and refuses it',
    async (url) => {
      expect(await refusedWith(checkOutboundUrl(url, { allowHosts: ['127.0.0.1'] }))).toBe('tool.url_not_allowed');
    },
  );

  it('refuses a host off the allow-list without resolving it', async () => {
    let resolved = false;
    const policy: OutboundPolicy = {
      allowHosts: ['api.example.com'],
      resolve: async () => {
        resolved = true;
        return [{ address: '93.184.216.34', family: 4 }];
      },
    };
    expect(await refusedWith(checkOutboundUrl('https://other.example.com/', policy))).toBe('tool.url_not_allowed');
    expect(resolved).toBe(false);
  });

  it('refuses an allowed name that resolves to loopback, or to any private address among public ones', async () => {
    const resolveTo = (...addresses: string[]): OutboundPolicy => ({
      allowHosts: ['api.example.com'],
      resolve: async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    });
    const url = 'https://api.example.com/';
    expect(await refusedWith(checkOutboundUrl(url, resolveTo('127.0.0.1')))).toBe('tool.url_not_allowed');
    expect(await refusedWith(checkOutboundUrl(url, resolveTo('::ffff:169.254.169.254')))).toBe('tool.url_not_allowed');
    expect(await refusedWith(checkOutboundUrl(url, resolveTo('93.184.216.34', '10.0.0.1')))).toBe(
      'tool.url_not_allowed',
    );
    expect(await refusedWith(checkOutboundUrl(url, resolveTo()))).toBe('tool.url_not_allowed');
    expect(await checkOutboundUrl(url, resolveTo('93.184.216.34'))).toEqual({ address: '93.184.216.34', family: 4 });
  });

  it('refuses other schemes and credentials in the URL', async () => {
    const policy = {
      allowHosts: ['api.example.com'],
      resolve: async () => [{ address: '93.184.216.34', family: 4 as const }],
    };
    expect(await refusedWith(checkOutboundUrl('ftp://api.example.com/', policy))).toBe('tool.url_not_allowed');
    expect(await refusedWith(checkOutboundUrl('https://u:p@api.example.com/', policy))).toBe('tool.url_not_allowed');
  });
});

describe('guardedRequest', () => {
  let server: Server;
  let port: number;
  const seen: IncomingMessage[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req);
      const url = new URL(req.url ?? '/', 'http://x');
      const to = url.searchParams.get('to');
      if (url.pathname === '/redirect' && to) {
        res.writeHead(302, { location: to }).end();
        return;
      }
      if (url.pathname === '/loop') {
        res.writeHead(307, { location: '/loop' }).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: true, host: req.headers.host }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** `api.test` resolves (through the seam) to the local server; only 127.0.0.1 is exempt. */
  const policy: OutboundPolicy = {
    allowHosts: ['api.test', '127.0.0.2', 'localhost', 'metadata.test'],
    resolve: async (host) =>
      host === 'api.test'
        ? [{ address: '127.0.0.1', family: 4 }]
        : host === 'metadata.test'
          ? [{ address: '169.254.169.254', family: 4 }]
          : [{ address: '::1', family: 6 }],
    allowAddresses: ['127.0.0.1'],
  };
  const get = (url: string) =>
    guardedRequest(url, { method: 'GET', headers: {}, body: null, signal: AbortSignal.timeout(5_000) }, policy);

  it('connects to the address it checked, keeping the host name', async () => {
    const response = await get(`http://api.test:${port}/hello`);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ ok: true, host: `api.test:${port}` });
  });

  it.each([
    ['another loopback address', () => `http://127.0.0.2:${port}/`],
    ['a name resolving to ::1', () => `http://localhost:${port}/`],
    ['a name resolving to the metadata address', () => 'http://metadata.test/latest/meta-data'],
    ['a host off the allow-list', () => 'http://evil.example/'],
  ])('refuses a redirect to %s without following it', async (_label, target) => {
    const before = seen.length;
    const url = `http://api.test:${port}/redirect?to=${encodeURIComponent(target())}`;
    expect(await refusedWith(get(url))).toBe('tool.url_not_allowed');
    expect(seen.length).toBe(before + 1);
  });

  it('follows an allowed redirect, and gives up after three', async () => {
    const ok = await get(`http://api.test:${port}/redirect?to=/done`);
    expect(ok.url).toBe(`http://api.test:${port}/done`);
    expect(await refusedWith(get(`http://api.test:${port}/loop`))).toBe('tool.failed');
  });
});
