import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';

export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Allow-listed remote origins (ATRIUM_REMOTE_ORIGINS) serve remote entries and chunks, and the
 * shell re-fetches an entry to tell an integrity failure from an outage.
 */
export function contentSecurityPolicyFor(remoteOrigins: readonly string[]): string {
  if (remoteOrigins.length === 0) return contentSecurityPolicy;
  const extra = ` ${remoteOrigins.join(' ')}`;
  return contentSecurityPolicy
    .replace("script-src 'self'", `script-src 'self'${extra}`)
    .replace("connect-src 'self'", `connect-src 'self'${extra}`);
}

/**
 * Set on `c.res.headers` in one go: each `c.header()` after the handler has answered copies the
 * whole response (and forces @hono/node-server to build a full Response with a stream), which
 * cost more than the chat list's SQL.
 */
export const securityHeaders = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const { config } = c.get('deps');
    const headers = c.res.headers;
    headers.set('Content-Security-Policy', contentSecurityPolicyFor(config.registry.remoteOrigins));
    headers.set('X-Content-Type-Options', 'nosniff');
    headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
    headers.set('X-Frame-Options', 'DENY');
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    const https = config.publicOrigin ? config.publicOrigin.protocol === 'https:' : c.req.url.startsWith('https:');
    // Over plain http the header is ignored at best and pins a dev host to https at worst.
    if (https) headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  });
