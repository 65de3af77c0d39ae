import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';

/** One structured line per request, written after the response so it carries status and timing. */
export const requestLogger = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    await next();
    const logger = c.get('logger');
    const fields = {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      userId: c.get('user')?.id ?? null,
    };
    if (c.res.status >= 500) logger.error('request', fields);
    else logger.info('request', fields);
  });
