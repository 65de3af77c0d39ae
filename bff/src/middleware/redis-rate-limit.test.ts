import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { createManualClock } from '../testing/manual-clock.js';
import { freePort } from '../testing/multi-instance.js';
import { createMemoryRateLimiter } from './rate-limit.js';
import { createRedisRateLimiter } from './redis-rate-limit.js';

describe('the sign-in limiter when Redis is unreachable', async () => {
  const clock = createManualClock();
  const limiter = createRedisRateLimiter({
    // A port nothing listens on: every Redis command fails.
    url: `redis://127.0.0.1:${await freePort()}`,
    limit: 2,
    windowMs: 60_000,
    clock,
    logger: createLogger('silent'),
    fallback: createMemoryRateLimiter({ limit: 2, windowMs: 60_000, clock }),
  });
  afterAll(() => limiter.close());

  it("falls back to this instance's own counts: neither locked out nor unlimited", async () => {
    expect((await limiter.check('ip|someone@example.com')).allowed).toBe(true);
    await limiter.recordFailure('ip|someone@example.com');
    await limiter.recordFailure('ip|someone@example.com');
    expect((await limiter.check('ip|someone@example.com')).allowed).toBe(false);
  });
});
