import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import type { AppEnv, Deps } from '../env.js';
import { onError } from '../errors.js';
import { createMetrics } from '../observability/metrics.js';
import { metricsRoutes } from './metrics.js';

/** Only what the route reads: the config and the registry (the full app is covered in observability/metrics.test.ts). */
function appWith(env: Record<string, string>) {
  const deps = { config: loadConfig(env), metrics: createMetrics({ processMetrics: false }) } as Deps;
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.use(async (c, next) => {
    c.set('deps', deps);
    c.set('requestId', 'test-request-0001');
    await next();
  });
  return app.route('/', metricsRoutes);
}

describe('GET /metrics', () => {
  it('does not exist without ATRIUM_METRICS_TOKEN, whatever the caller sends', async () => {
    const app = appWith({});
    for (const headers of [{}, { Authorization: 'Bearer anything-at-all-here' }] as Record<string, string>[]) {
      const response = await app.request('/metrics', { headers });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'route.not_found' });
    }
  });

  it('answers the exposition format to the right token only', async () => {
    const app = appWith({ ATRIUM_METRICS_TOKEN: 'a-token-of-sixteen-plus' });
    expect(
      (await app.request('/metrics', { headers: { Authorization: 'Bearer a-token-of-sixteen-plus' } })).status,
    ).toBe(200);
    for (const authorization of [
      'a-token-of-sixteen-plus',
      'Basic a-token-of-sixteen-plus',
      'Bearer ',
      'Bearer a-token',
    ]) {
      const response = await app.request('/metrics', { headers: { Authorization: authorization } });
      expect(response.status).toBe(401);
    }
  });

  it('refuses a token too short to be a secret at start-up', () => {
    expect(() => loadConfig({ ATRIUM_METRICS_TOKEN: 'short' })).toThrow(/ATRIUM_METRICS_TOKEN/);
  });
});
