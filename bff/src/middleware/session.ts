import { createMiddleware } from 'hono/factory';
import { sessionCookie } from '../auth/cookies.js';
import { findSession } from '../auth/sessions.js';
import type { AppEnv } from '../env.js';

/** Resolves the cookie to a live session and its user, or null; never refuses a request by itself. */
export const session = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const { db, clock, config } = c.get('deps');
    const token = sessionCookie.read(c);
    const found = token ? await findSession(db, token, clock.now(), config.session) : null;
    if (token && !found) sessionCookie.clear(c);
    c.set('session', found?.session ?? null);
    c.set('user', found?.user ?? null);
    await next();
  });
