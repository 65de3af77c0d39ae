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

export const securityHeaders = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    c.header('Content-Security-Policy', contentSecurityPolicy);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'strict-origin-when-cross-origin');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    const publicOrigin = c.get('deps').config.publicOrigin;
    const https = publicOrigin ? publicOrigin.protocol === 'https:' : new URL(c.req.url).protocol === 'https:';
    // Over plain http the header is ignored at best and pins a dev host to https at worst.
    if (https) c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  });
