import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { RateLimiter } from './rate-limit.js';

/**
 * The connection every sign-in limiter of this instance shares. Commands wait briefly for a
 * (re)connection, then fail over to the limiter's fallback: sign-in never hangs on Redis.
 */
export function connectLimiterRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1000 });
  let warned = false;
  redis.on('error', (error: Error) => {
    if (warned) return;
    warned = true;
    logger.warn('sign-in limiter: redis unavailable, counting per instance', { error: error.message });
  });
  redis.on('ready', () => {
    warned = false;
  });
  return redis;
}

/** Redis MATCH patterns are globs: an email may hold `*`, `?` or `[`. */
const escapeGlob = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');

/**
 * A limiter shared by every BFF instance: one sorted set of failure times per key, under
 * `atrium:signin:<namespace>:`. If Redis is unreachable the fallback (this instance's own counts)
 * decides, so an outage never locks everyone out nor lifts the limit entirely.
 */
export function createRedisRateLimiter(options: {
  redis: Redis;
  namespace: string;
  limit: number;
  windowMs: number;
  clock: Clock;
  fallback: RateLimiter;
}): RateLimiter {
  const { redis } = options;
  const prefix = `atrium:signin:${options.namespace}:`;
  const redisKey = (key: string) => `${prefix}${key}`;

  async function recentFailures(key: string): Promise<number[]> {
    const now = options.clock.now().getTime();
    const [, ranged] = (await redis
      .multi()
      .zremrangebyscore(redisKey(key), 0, now - options.windowMs)
      .zrange(redisKey(key), 0, -1, 'WITHSCORES')
      .exec()) as [[Error | null, number], [Error | null, string[]]];
    if (ranged[0]) throw ranged[0];
    return ranged[1].filter((_, i) => i % 2 === 1).map(Number);
  }

  return {
    async check(key) {
      try {
        const times = await recentFailures(key);
        if (times.length < options.limit) return { allowed: true, retryAfterSeconds: 0 };
        const oldest = times[times.length - options.limit]!;
        const retryAfterMs = oldest + options.windowMs - options.clock.now().getTime();
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
      } catch {
        return options.fallback.check(key);
      }
    },
    async recordFailure(key) {
      await options.fallback.recordFailure(key);
      const now = options.clock.now().getTime();
      await redis
        .multi()
        .zadd(redisKey(key), now, `${now}:${randomUUID()}`)
        .pexpire(redisKey(key), options.windowMs)
        .exec()
        .catch(() => undefined);
    },
    async reset(key) {
      await options.fallback.reset(key);
      await redis.del(redisKey(key)).catch(() => undefined);
    },
    async resetPrefix(start) {
      await options.fallback.resetPrefix(start);
      try {
        const stream = redis.scanStream({ match: `${escapeGlob(redisKey(start))}*`, count: 200 });
        for await (const keys of stream as AsyncIterable<string[]>) if (keys.length > 0) await redis.del(...keys);
      } catch {
        // Unreachable Redis: its counts expire with the window anyway.
      }
    },
  };
}
