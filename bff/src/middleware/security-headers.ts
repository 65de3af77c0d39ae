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

export const securityHeaders = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    c.header('Content-Security-Policy', contentSecurityPolicyFor(c.get('deps').config.registry.remoteOrigins));
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'strict-origin-when-cross-origin');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    const publicOrigin = c.get('deps').config.publicOrigin;
    const https = publicOrigin ? publicOrigin.protocol === 'https:' : new URL(c.req.url).protocol === 'https:';
    // Over plain http the header is ignored at best and pins a dev host to https at worst.
    if (https) c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  });
