import type { Clock } from '../clock.js';

export interface RateLimitDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

/** Counts failures per key over a sliding window. Async so a Redis-backed limiter can share counts across BFFs. */
export interface RateLimiter {
  /** Refused once `limit` failures fall inside the window; `retryAfterSeconds` is when the oldest of them leaves it. */
  check(key: string): Promise<RateLimitDecision>;
  recordFailure(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  /** Forgets every key that starts with `prefix`. */
  resetPrefix(prefix: string): Promise<void>;
}

export function createMemoryRateLimiter(options: { limit: number; windowMs: number; clock: Clock }): RateLimiter {
  const failures = new Map<string, number[]>();

  const recent = (key: string): number[] => {
    const cutoff = options.clock.now().getTime() - options.windowMs;
    const kept = (failures.get(key) ?? []).filter((at) => at > cutoff);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  };

  return {
    async check(key) {
      const times = recent(key);
      if (times.length < options.limit) return { allowed: true, retryAfterSeconds: 0 };
      const oldest = times[times.length - options.limit]!;
      const retryAfterMs = oldest + options.windowMs - options.clock.now().getTime();
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
    },
    async recordFailure(key) {
      failures.set(key, [...recent(key), options.clock.now().getTime()]);
    },
    async reset(key) {
      failures.delete(key);
    },
    async resetPrefix(prefix) {
      for (const key of [...failures.keys()]) if (key.startsWith(prefix)) failures.delete(key);
    },
  };
}
