import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { AppError } from '../errors.js';

export const metricsPath = '/metrics';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Prometheus text exposition of this instance's registry (docs/observability.md). Off (404
 * `route.not_found`) unless `ATRIUM_METRICS_TOKEN` is set; then the scraper sends
 * `Authorization: Bearer <token>`, else 401 `auth.required`. Compared as SHA-256 digests in
 * constant time, so neither the token's content nor its length leaks through timing.
 */
export const metricsRoutes = new Hono<AppEnv>().get(metricsPath, async (c) => {
  const { config, metrics } = c.get('deps');
  const expected = config.observability.metricsToken;
  if (!expected) throw new AppError('route.not_found', 404, `No route for GET ${metricsPath}.`);
  const presented = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  if (!presented || !timingSafeEqual(digest(presented), digest(expected))) {
    throw new AppError('auth.required', 401, 'Send the metrics token as a bearer token.', undefined, {
      'WWW-Authenticate': 'Bearer realm="metrics"',
    });
  }
  return c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
});
