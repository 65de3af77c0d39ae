import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, request } from 'undici';
import { AppError } from '../errors.js';

/*
 * The SSRF guard for every request Atrium makes to an address an admin typed (HTTP tools; MCP
 * servers). Following OWASP's SSRF Prevention Cheat Sheet: the host must be on an allow-list AND
 * every address it resolves to must be public; the connection goes to the address that was
 * checked (no second DNS lookup an attacker could answer differently); redirects are not
 * followed blindly: each target passes the same check.
 */

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface OutboundPolicy {
  /** Host names allowed (`api.example.com`), or `*.example.com` for its subdomains (not the apex). */
  allowHosts: readonly string[];
  /** Every address of a host name. Defaults to node:dns `lookup(…, { all: true })`; a test seam. */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
  /**
   * Tests only, to reach a server they started: these exact addresses (`127.0.0.1`) pass although
   * not public; every other non-public address is still refused. Never read from config.
   */
  allowAddresses?: readonly string[];
}

/** The refusal every check throws: 400 `tool.url_not_allowed`, saying why in words. */
export function urlNotAllowed(reason: string): AppError {
  return new AppError('tool.url_not_allowed', 400, `The URL is not allowed: ${reason}.`, [
    { path: 'url', message: reason },
  ]);
}

/**
 * Whether `address` (an IPv4 or IPv6 literal) is a public unicast address. Refused: private
 * (RFC 1918), loopback, link-local (incl. 169.254.169.254 metadata), CGNAT (RFC 6598),
 * multicast, broadcast, unspecified, reserved and documentation ranges, IPv6 unique-local
 * (RFC 4193), and IPv6 forms that embed an IPv4 address (mapped/compatible, NAT64, 6to4, Teredo),
 * all as classified by `ipaddr.js`; an IPv4-mapped address is judged by its IPv4 address.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

/** Whether `host` (lower case, no brackets) is on `allowHosts`. */
export function hostAllowed(host: string, allowHosts: readonly string[]): boolean {
  return allowHosts.some((allowed) =>
    allowed.startsWith('*.') ? host.endsWith(allowed.slice(1)) && host.length > allowed.length - 1 : host === allowed,
  );
}

const defaultResolve = async (host: string): Promise<ResolvedAddress[]> =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family as 4 | 6 }));

/**
 * Checks `url` against `policy` and returns the one address to connect to. The URL parser has
 * already turned decimal, octal and hex IPv4 forms (`2130706433`, `0177.0.0.1`, `0x7f.1`) into
 * dotted form, so an IP literal is judged as what it means. Throws 400 `tool.url_not_allowed`:
 * not http(s), credentials in the URL, host not allowed, unresolvable, or any non-public address.
 */
export async function checkOutboundUrl(url: string | URL, policy: OutboundPolicy): Promise<ResolvedAddress> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw urlNotAllowed('not a URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw urlNotAllowed('only http and https');
  if (parsed.username || parsed.password) throw urlNotAllowed('credentials in the URL');
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (!hostAllowed(host, policy.allowHosts)) throw urlNotAllowed(`host ${host} is not on ATRIUM_HTTP_TOOL_ALLOW_HOSTS`);
  let addresses: ResolvedAddress[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }];
  } else {
    try {
      addresses = await (policy.resolve ?? defaultResolve)(host);
    } catch {
      throw urlNotAllowed(`host ${host} does not resolve`);
    }
  }
  if (addresses.length === 0) throw urlNotAllowed(`host ${host} does not resolve`);
  const exempt = new Set(policy.allowAddresses ?? []);
  const refused = addresses.find((a) => !isPublicAddress(a.address) && !exempt.has(a.address));
  if (refused) throw urlNotAllowed(`host ${host} resolves to a non-public address`);
  return addresses[0]!;
}

/** A `lookup` for net/tls that answers only with the address already checked. */
function pinnedLookup(target: ResolvedAddress): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [target]);
    else callback(null, target.address, target.family);
  }) as LookupFunction;
}

export interface GuardedResponse {
  status: number;
  contentType: string | null;
  /** The body as text, cut at `maxBodyBytes`. */
  body: string;
  /** The URL that answered (after redirects). */
  url: string;
}

export interface GuardedRequest {
  method: string;
  headers: Record<string, string>;
  body: string | null;
  signal: AbortSignal;
  /** Most bytes of the answer read (default 1 MiB); the rest is dropped. */
  maxBodyBytes?: number;
}

/** Redirects followed at most; a 4th is a failure (WHATWG fetch allows 20; we need few). */
export const maxRedirects = 3;

/**
 * One request to `url` through the guard: the URL and every redirect target are checked with
 * `checkOutboundUrl`, and each connection goes to the checked address (TLS still verifies the
 * host name). 301/302/303 turn into a GET without body (as browsers do); 307/308 keep both.
 * Throws 400 `tool.url_not_allowed` for a refused URL or redirect, and 502 `tool.failed` after
 * more than `maxRedirects` redirects; network errors and aborts are thrown as they come.
 */
export async function guardedRequest(
  url: string,
  init: GuardedRequest,
  policy: OutboundPolicy,
): Promise<GuardedResponse> {
  let current = new URL(url);
  let { method, body } = init;
  const maxBytes = init.maxBodyBytes ?? 1024 * 1024;
  for (let redirects = 0; ; redirects++) {
    const target = await checkOutboundUrl(current, policy);
    const agent = new Agent({ connect: { lookup: pinnedLookup(target) } });
    try {
      const response = await request(current, {
        dispatcher: agent,
        method: method as 'GET',
        headers: init.headers,
        body,
        signal: init.signal,
      });
      const location = response.headers.location;
      if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
        await response.body.dump();
        if (redirects >= maxRedirects) throw new AppError('tool.failed', 502, 'The service redirected too many times.');
        current = new URL(location, current);
        if (response.statusCode !== 307 && response.statusCode !== 308) {
          method = 'GET';
          body = null;
        }
        continue;
      }
      const contentType = response.headers['content-type'];
      return {
        status: response.statusCode,
        contentType: typeof contentType === 'string' ? contentType : null,
        body: await readCapped(response.body, maxBytes),
        url: current.toString(),
      };
    } finally {
      await agent.close().catch(() => undefined);
    }
  }
}

async function readCapped(stream: AsyncIterable<Buffer> & { destroy(): void }, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= maxBytes) {
      stream.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}
