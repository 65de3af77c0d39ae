import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import type { AppEnv } from '../env.js';

/** Over HTTPS the `__Host-` prefix pins the cookie to our host and path; browsers demand Secure with it. */
function options(c: Context<AppEnv>): CookieOptions {
  const secure = c.get('deps').config.publicOrigin?.protocol === 'https:';
  return secure
    ? { path: '/', httpOnly: true, sameSite: 'Lax', secure: true, prefix: 'host' }
    : { path: '/', httpOnly: true, sameSite: 'Lax' };
}

function cookie(name: string) {
  return {
    read: (c: Context<AppEnv>): string | null => getCookie(c, name, options(c).prefix) ?? null,
    /** No Max-Age: the server decides when a session ends; the cookie only carries the token. */
    write: (c: Context<AppEnv>, value: string) => setCookie(c, name, value, options(c)),
    clear: (c: Context<AppEnv>) => {
      deleteCookie(c, name, options(c));
    },
  };
}

export const sessionCookie = cookie('atrium_session');
/** The pre-session double-submit token: protects sign-in itself from login CSRF. */
export const csrfCookie = cookie('atrium_csrf');
