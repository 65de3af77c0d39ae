import { describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from './rate-limit.js';

describe('memory rate limiter', () => {
  it('blocks after the limit and frees the key once the window slides past', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const limiter = createMemoryRateLimiter({ limit: 2, windowMs: 60_000, clock: { now: () => new Date(now) } });
    await limiter.recordFailure('k');
    now += 10_000;
    await limiter.recordFailure('k');
    expect(await limiter.check('k')).toEqual({ allowed: false, retryAfterSeconds: 50 });
    expect((await limiter.check('other')).allowed).toBe(true);
    now += 50_000;
    expect((await limiter.check('k')).allowed).toBe(true);
  });

  it('forgets a key on reset', async () => {
    const limiter = createMemoryRateLimiter({ limit: 1, windowMs: 60_000, clock: { now: () => new Date() } });
    await limiter.recordFailure('k');
    await limiter.reset('k');
    expect((await limiter.check('k')).allowed).toBe(true);
  });
});
