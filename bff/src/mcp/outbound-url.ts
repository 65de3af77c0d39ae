import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../errors.js';

/**
 * Addresses an admin-registered MCP server may not resolve to: private (RFC 1918, ULA), loopback,
 * link-local (cloud metadata at 169.254.169.254), CGNAT, unspecified, multicast, and IPv4-mapped
 * IPv6 of them (RFC 6890 special-purpose registries).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

function isBlocked(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return blocked.check(mapped, 'ipv4');
  return blocked.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

export interface OutboundPolicy {
  /** Tests reach a server on 127.0.0.1; production never allows private targets. */
  allowPrivate: boolean;
}

/**
 * Throws `mcp.url_not_allowed` (400) unless `url` is http(s) and every address its host resolves
 * to is public. Stands in for the HTTP tool's guard (tools/outbound-guard.ts), which also pins
 * the connection to the checked address; swap this call site for it when both are merged.
 */
export async function checkOutboundUrl(url: URL, policy: OutboundPolicy): Promise<void> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('mcp.url_not_allowed', 400, 'The URL must be http or https.');
  }
  if (policy.allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [{ address: host }] : await lookup(host, { all: true }).catch(() => []);
  if (addresses.length === 0 || addresses.some((a) => isBlocked(a.address))) {
    throw new AppError('mcp.url_not_allowed', 400, 'The URL must resolve to public addresses only.');
  }
}
