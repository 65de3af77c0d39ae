import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { createManualClock } from '../testing/manual-clock.js';
import { freePort } from '../testing/multi-instance.js';
import { createMemoryRateLimiter } from './rate-limit.js';
import { connectLimiterRedis, createRedisRateLimiter } from './redis-rate-limit.js';

describe('the sign-in limiter when Redis is unreachable', async () => {
  const clock = createManualClock();
  // A port nothing listens on: every Redis command fails.
  const redis = connectLimiterRedis(`redis://127.0.0.1:${await freePort()}`, createLogger('silent'));
  const limiter = createRedisRateLimiter({
    redis,
    namespace: 'test',
    limit: 2,
    windowMs: 60_000,
    clock,
    fallback: createMemoryRateLimiter({ limit: 2, windowMs: 60_000, clock }),
  });
  afterAll(() => redis.disconnect());

  it("falls back to this instance's own counts: neither locked out nor unlimited", async () => {
    expect((await limiter.check('someone@example.com 10.0.0.1')).allowed).toBe(true);
    await limiter.recordFailure('someone@example.com 10.0.0.1');
    await limiter.recordFailure('someone@example.com 10.0.0.1');
    expect((await limiter.check('someone@example.com 10.0.0.1')).allowed).toBe(false);
  });

  it('still forgets keys by prefix in its own counts', async () => {
    await limiter.recordFailure('unlock@example.com 10.0.0.2');
    await limiter.recordFailure('unlock@example.com 10.0.0.2');
    await limiter.resetPrefix('unlock@example.com ');
    expect((await limiter.check('unlock@example.com 10.0.0.2')).allowed).toBe(true);
  });
});
