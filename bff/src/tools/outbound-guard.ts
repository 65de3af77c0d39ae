import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import ipaddr from 'ipaddr.js';
import { Agent, type Dispatcher, request } from 'undici';
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
  body: string | Uint8Array | null;
  signal: AbortSignal;
  /** Most bytes of the answer read (default 1 MiB); the rest is dropped. */
  maxBodyBytes?: number;
}

/** Redirects followed at most; a 4th is a failure (WHATWG fetch allows 20; we need few). */
export const maxRedirects = 3;

/** A response whose headers have arrived; `body` streams (its connection closes when it ends). */
interface GuardedStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
  url: string;
}

/**
 * Sends one request through the guard and returns as soon as the final response's headers
 * arrive: the URL and every redirect target pass `checkOutboundUrl`, each connection goes to the
 * checked address (TLS still verifies the host name). 301/302/303 turn into a GET without body
 * (as browsers do); 307/308 keep both.
 */
async function guardedStream(
  url: string | URL,
  init: Omit<GuardedRequest, 'maxBodyBytes'>,
  policy: OutboundPolicy,
): Promise<GuardedStream> {
  let current = new URL(url);
  let { method, body } = init;
  for (let redirects = 0; ; redirects++) {
    const target = await checkOutboundUrl(current, policy);
    const agent = new Agent({ connect: { lookup: pinnedLookup(target) } });
    const closeAgent = () => void agent.close().catch(() => undefined);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(current, {
        dispatcher: agent,
        method: method as 'GET',
        headers: init.headers,
        body,
        signal: init.signal,
      });
    } catch (error) {
      closeAgent();
      throw error;
    }
    const location = response.headers.location;
    if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
      await response.body.dump().finally(closeAgent);
      if (redirects >= maxRedirects) throw new AppError('tool.failed', 502, 'The service redirected too many times.');
      current = new URL(location, current);
      if (response.statusCode !== 307 && response.statusCode !== 308) {
        method = 'GET';
        body = null;
      }
      continue;
    }
    response.body.once('close', closeAgent);
    return { status: response.statusCode, headers: response.headers, body: response.body, url: current.toString() };
  }
}

/**
 * One request to `url` through the guard (see `guardedStream`), its body read as text up to
 * `maxBodyBytes`. Throws 400 `tool.url_not_allowed` for a refused URL or redirect, and 502
 * `tool.failed` after more than `maxRedirects` redirects; network errors and aborts are thrown
 * as they come.
 */
export async function guardedRequest(
  url: string,
  init: GuardedRequest,
  policy: OutboundPolicy,
): Promise<GuardedResponse> {
  const response = await guardedStream(url, init, policy);
  const contentType = response.headers['content-type'];
  return {
    status: response.status,
    contentType: typeof contentType === 'string' ? contentType : null,
    body: await readCapped(response.body, init.maxBodyBytes ?? 1024 * 1024),
    url: response.url,
  };
}

/** Statuses whose response has no body (the Response constructor refuses one). */
const nullBodyStatuses = new Set([101, 204, 205, 304]);

/**
 * A WHATWG `fetch` whose every request goes through the guard, for clients that take a `fetch`
 * (the MCP SDK's `StreamableHTTPClientTransport`). The body streams as it arrives (an SSE stream
 * stays open); redirects are followed by the guard whatever `init.redirect` says, each target
 * checked, so the caller never sees a 3xx. Request bodies: string, bytes or none. Throws as
 * `guardedRequest` does (400 `tool.url_not_allowed`, 502 `tool.failed`).
 */
/**
 * Most bytes one response through `guardedFetch` may carry (4 MiB): an external MCP server's
 * answer is read into memory by the SDK, so a hostile one could otherwise send gigabytes. Past
 * it the body errors and the call fails; a tool result is capped far lower (run-tool.ts).
 */
export const guardedFetchMaxBytes = 4 * 1024 * 1024;

export function guardedFetch(policy: OutboundPolicy, maxBytes = guardedFetchMaxBytes): typeof fetch {
  return async (input, init) => {
    const asRequest = input instanceof Request ? input : null;
    const url = asRequest ? asRequest.url : input.toString();
    const method = (init?.method ?? asRequest?.method ?? 'GET').toUpperCase();
    const headers = Object.fromEntries(new Headers(init?.headers ?? asRequest?.headers).entries());
    const body = init?.body ?? null;
    if (body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
      throw new TypeError('guardedFetch sends string or byte bodies only.');
    }
    const signal = init?.signal ?? asRequest?.signal ?? new AbortController().signal;
    const response = await guardedStream(url, { method, headers, body: body as string | null, signal }, policy);
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
        responseHeaders.append(name, one);
      }
    }
    const hasBody = !nullBodyStatuses.has(response.status) && method !== 'HEAD';
    if (!hasBody) response.body.destroy();
    let received = 0;
    const capped = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > maxBytes) controller.error(new Error(`The response is larger than ${maxBytes} bytes.`));
        else controller.enqueue(chunk);
      },
    });
    const stream = hasBody ? (Readable.toWeb(response.body) as ReadableStream<Uint8Array>).pipeThrough(capped) : null;
    return new Response(stream, {
      status: response.status,
      headers: responseHeaders,
    });
  };
}

async function readCapped(stream: Readable, maxBytes: number): Promise<string> {
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
