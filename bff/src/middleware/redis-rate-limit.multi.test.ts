import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { createManualClock } from '../testing/manual-clock.js';
import { requireServices } from '../testing/multi-instance.js';
import { createMemoryRateLimiter } from './rate-limit.js';
import { connectLimiterRedis, createRedisRateLimiter } from './redis-rate-limit.js';

const clock = createManualClock();
const logger = createLogger('silent');
/** One BFF instance: its own connection and its own fallback counts. */
const instance = () => {
  const redis = connectLimiterRedis(requireServices().redisUrl, logger);
  const limiter = createRedisRateLimiter({
    redis,
    namespace: 'test',
    limit: 3,
    windowMs: 60_000,
    clock,
    fallback: createMemoryRateLimiter({ limit: 3, windowMs: 60_000, clock }),
  });
  return { redis, limiter };
};
const a = instance();
const b = instance();
afterAll(() => {
  a.redis.disconnect();
  b.redis.disconnect();
});

describe('the sign-in limiter across instances (Redis)', () => {
  it('counts failures made on any instance and forgets them after the window', async () => {
    const key = `test:${randomUUID()}`;
    await a.limiter.recordFailure(key);
    await b.limiter.recordFailure(key);
    expect((await a.limiter.check(key)).allowed).toBe(true);
    await a.limiter.recordFailure(key);
    const refused = await b.limiter.check(key);
    expect(refused).toMatchObject({ allowed: false });
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);

    clock.advance(61_000);
    expect((await b.limiter.check(key)).allowed).toBe(true);
  });

  it('a successful sign-in on one instance resets the count for all', async () => {
    const key = `test:${randomUUID()}`;
    for (let i = 0; i < 3; i++) await a.limiter.recordFailure(key);
    expect((await b.limiter.check(key)).allowed).toBe(false);
    await b.limiter.reset(key);
    expect((await a.limiter.check(key)).allowed).toBe(true);
  });

  it('forgets every key under a prefix on every instance, and only those, even with glob characters in it', async () => {
    const id = randomUUID();
    const email = `a*b?[c]${id}@example.com`;
    // What `a*b?[c]…` would match as an unescaped glob.
    const bystander = `a-b-c${id}@example.com`;
    for (const key of [`${email} 10.0.0.1`, `${email} 10.0.0.2`, `${bystander} 10.0.0.1`]) {
      for (let i = 0; i < 3; i++) await a.limiter.recordFailure(key);
    }
    await b.limiter.resetPrefix(`${email} `);
    expect((await a.limiter.check(`${email} 10.0.0.1`)).allowed).toBe(true);
    expect((await a.limiter.check(`${email} 10.0.0.2`)).allowed).toBe(true);
    expect((await a.limiter.check(`${bystander} 10.0.0.1`)).allowed).toBe(false);
  });
});
