import { createMiddleware } from 'hono/factory';
import { csrfCookie } from '../auth/cookies.js';
import { safeEqual } from '../auth/tokens.js';
import type { AppEnv } from '../env.js';
import { AppError } from '../errors.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CsrfOptions {
  /**
   * Paths that skip the token (never the Origin check). Only for browser APIs that cannot set
   * headers, i.e. `navigator.sendBeacon`, which also sends its body as text/plain.
   */
  tokenExempt: readonly string[];
  /**
   * Path prefixes where a request authenticated by `Authorization: Bearer` and carrying no
   * cookie skips these checks (deploy tokens from CI). A browser never attaches that header to
   * a forged cross-site request, and without a cookie there is no ambient credential to abuse.
   */
  bearerPrefixes?: readonly string[];
  /**
   * Paths authenticated by a signature over the body instead of a session (the billing
   * webhook): their handlers never read the cookie, so a forged request has nothing to borrow.
   */
  signedPaths?: readonly string[];
  /** Path prefixes that also accept `application/octet-stream` bodies (blob uploads); the token is still checked. */
  binaryPrefixes?: readonly string[];
}

function mediaType(contentType: string | undefined): string {
  return contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
}

const refused = (message: string) => new AppError('auth.csrf_failed', 403, message);

/** Every state-changing request: same-origin by Fetch Metadata / Origin, JSON only, and a matching token. */
export const csrf = (options: CsrfOptions) =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (safeMethods.has(c.req.method)) return next();
    const path = c.req.path;
    if (options.signedPaths?.includes(path)) return next();
    const bearer = /^Bearer\s/i.test(c.req.header('authorization') ?? '') && !c.req.header('cookie');
    if (bearer && options.bearerPrefixes?.some((prefix) => path.startsWith(prefix))) return next();

    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const expectedOrigin = c.get('deps').config.publicOrigin?.origin ?? new URL(c.req.url).origin;
    // 'same-site' is refused too: a sibling subdomain is not us.
    if (site !== undefined && site !== 'same-origin') throw refused('Cross-site requests are not allowed.');
    if (origin !== undefined && origin !== expectedOrigin) throw refused('This origin is not allowed.');
    if (origin === undefined && site === undefined) throw refused('The request must say where it comes from.');

    const exempt = options.tokenExempt.includes(path);
    const type = mediaType(c.req.header('content-type'));
    const binary =
      type === 'application/octet-stream' && options.binaryPrefixes?.some((prefix) => path.startsWith(prefix));
    if (type !== 'application/json' && !(exempt && type === 'text/plain') && !binary) {
      throw new AppError('request.unsupported_media_type', 415, 'Send the body as application/json.');
    }
    if (exempt) return next();

    const sent = c.req.header('x-csrf-token');
    const expected = c.get('session')?.csrfToken ?? csrfCookie.read(c);
    if (!sent || !expected || !safeEqual(sent, expected)) throw refused('The CSRF token is missing or wrong.');
    await next();
  });
