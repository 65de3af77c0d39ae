import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';
import { AppError } from '../errors.js';

/**
 * What a signed-in user whose password an admin reset (`must_change_password`) may still call:
 * read themselves, change the password, sign out or in again, fetch a CSRF token, load the remote
 * map and report remote loads (the shell needs both to show the form), and hold the event stream
 * (so a later reset, disable or delete still ends the tab's session).
 */
const allowed: ReadonlySet<string> = new Set([
  'GET /api/me',
  'POST /api/account/password',
  'POST /api/auth/sign-out',
  'POST /api/auth/sign-in',
  'GET /api/auth/csrf',
  'GET /api/events',
  'GET /api/remotes',
  'POST /api/telemetry',
]);

/**
 * 403 `auth.password_change_required` for every other `/api/*` request of such a session, until
 * `POST /api/account/password` clears the flag (users/accounts.ts `setPassword`). Requests
 * without a session, and the shell's pages and remotes, pass through untouched.
 */
export const passwordChangeRequired = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const user = c.get('user');
    if (user?.mustChangePassword && !allowed.has(`${c.req.method} ${c.req.path}`)) {
      throw new AppError(
        'auth.password_change_required',
        403,
        'An administrator reset your password: choose a new one on your account page first.',
      );
    }
    await next();
  });
