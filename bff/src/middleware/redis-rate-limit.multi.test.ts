import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { createManualClock } from '../testing/manual-clock.js';
import { requireServices } from '../testing/multi-instance.js';
import { createMemoryRateLimiter } from './rate-limit.js';
import { createRedisRateLimiter } from './redis-rate-limit.js';

const clock = createManualClock();
const logger = createLogger('silent');
const limiter = () =>
  createRedisRateLimiter({
    url: requireServices().redisUrl,
    limit: 3,
    windowMs: 60_000,
    clock,
    logger,
    fallback: createMemoryRateLimiter({ limit: 3, windowMs: 60_000, clock }),
  });
const a = limiter();
const b = limiter();
afterAll(async () => {
  await a.close();
  await b.close();
});

describe('the sign-in limiter across instances (Redis)', () => {
  it('counts failures made on any instance and forgets them after the window', async () => {
    const key = `test:${randomUUID()}`;
    await a.recordFailure(key);
    await b.recordFailure(key);
    expect((await a.check(key)).allowed).toBe(true);
    await a.recordFailure(key);
    const refused = await b.check(key);
    expect(refused).toMatchObject({ allowed: false });
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);

    clock.advance(61_000);
    expect((await b.check(key)).allowed).toBe(true);
  });

  it('a successful sign-in on one instance resets the count for all', async () => {
    const key = `test:${randomUUID()}`;
    for (let i = 0; i < 3; i++) await a.recordFailure(key);
    expect((await b.check(key)).allowed).toBe(false);
    await b.reset(key);
    expect((await a.check(key)).allowed).toBe(true);
  });
});
