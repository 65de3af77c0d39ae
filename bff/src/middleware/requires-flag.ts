import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';
import { AppError } from '../errors.js';

/**
 * Declares at the route that a feature flag must be on for the signed-in caller (issue 11):
 * 401 `auth.required` signed out, 403 `flag.off` when the flag is off for them. Runs before the
 * handler reads the body, so a refused upload is never stored.
 */
export const requiresFlag = (flag: string) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const user = c.get('user');
    if (!user) throw new AppError('auth.required', 401, 'Sign in to continue.');
    await c.get('deps').flags.require(user, flag);
    await next();
  });
