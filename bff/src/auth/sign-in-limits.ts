import type { Clock } from '../clock.js';
import type { SignInLimitConfig } from '../config.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { createMemoryRateLimiter, type RateLimiter } from '../middleware/rate-limit.js';
import { connectLimiterRedis, createRedisRateLimiter } from '../middleware/redis-rate-limit.js';

/** Who is trying: the client (IP, null when unknown) and the normalised email, whether or not an account has it. */
export interface SignInAttempt {
  ip: string | null;
  email: string;
}

/**
 * Failed password checks counted three ways (config.ts `SignInLimitConfig`): per client and
 * email, per client across emails, per account (email) across clients. Accounts are counted by
 * email, existing or not, so a lock says nothing about whether an account exists.
 */
export interface SignInLimits {
  /**
   * Throws 429 before any password is checked: `auth.account_locked` when the account's limit is
   * reached, else `auth.rate_limited`; the message and `Retry-After` (seconds) say when to retry.
   */
  assertAllowed(attempt: SignInAttempt): Promise<void>;
  recordFailure(attempt: SignInAttempt): Promise<void>;
  /** Clears this client's count for the email and the account's count; the client's own count stays. */
  recordSuccess(attempt: SignInAttempt): Promise<void>;
  /** Seconds until the account's limit frees it; 0 when it is not locked. */
  lockedForSeconds(email: string): Promise<number>;
  /** An administrator's unlock: the account's count and every client's count for it. */
  unlock(email: string): Promise<void>;
  close(): Promise<void>;
}

type Scope = 'accountAndClient' | 'client' | 'account';

const clientOf = (attempt: SignInAttempt) => attempt.ip ?? 'unknown';
// A space is in neither a validated email nor an IP, so `<email> ` prefixes exactly one account's pairs.
const pairKey = (attempt: SignInAttempt) => `${attempt.email} ${clientOf(attempt)}`;

/** "45 seconds", "1 minute", "12 minutes": when to retry, for the error message (clients localise from Retry-After). */
export function describeWait(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

export function createSignInLimits(
  config: SignInLimitConfig,
  limiterFor: (scope: Scope, limit: number) => RateLimiter,
  close: () => Promise<void> = async () => undefined,
): SignInLimits {
  const limiters = {
    accountAndClient: limiterFor('accountAndClient', config.perAccountAndClient),
    client: limiterFor('client', config.perClient),
    account: limiterFor('account', config.perAccount),
  };

  return {
    async assertAllowed(attempt) {
      const [pair, client, account] = await Promise.all([
        limiters.accountAndClient.check(pairKey(attempt)),
        limiters.client.check(clientOf(attempt)),
        limiters.account.check(attempt.email),
      ]);
      const refused = [pair, client, account].filter((decision) => !decision.allowed);
      if (refused.length === 0) return;
      const seconds = Math.max(...refused.map((decision) => decision.retryAfterSeconds));
      const headers = { 'Retry-After': String(seconds) };
      if (!account.allowed) {
        throw new AppError(
          'auth.account_locked',
          429,
          `This account is locked after too many failed sign-ins. Try again in ${describeWait(seconds)}, or ask an administrator to unlock it.`,
          undefined,
          headers,
        );
      }
      throw new AppError(
        'auth.rate_limited',
        429,
        `Too many failed sign-ins. Try again in ${describeWait(seconds)}.`,
        undefined,
        headers,
      );
    },
    async recordFailure(attempt) {
      await Promise.all([
        limiters.accountAndClient.recordFailure(pairKey(attempt)),
        limiters.client.recordFailure(clientOf(attempt)),
        limiters.account.recordFailure(attempt.email),
      ]);
    },
    async recordSuccess(attempt) {
      // Not the client's count: one account of one's own must not reset guesses at everyone else's.
      await Promise.all([limiters.accountAndClient.reset(pairKey(attempt)), limiters.account.reset(attempt.email)]);
    },
    async lockedForSeconds(email) {
      const decision = await limiters.account.check(email);
      return decision.allowed ? 0 : decision.retryAfterSeconds;
    },
    async unlock(email) {
      await Promise.all([limiters.account.reset(email), limiters.accountAndClient.resetPrefix(`${email} `)]);
    },
    close,
  };
}

/** Per-instance counts only: one process, or tests with their own clock. */
export function createMemorySignInLimits(config: SignInLimitConfig, clock: Clock): SignInLimits {
  return createSignInLimits(config, (_scope, limit) =>
    createMemoryRateLimiter({ limit, windowMs: config.windowMs, clock }),
  );
}

/** Counts shared by every instance through Redis, with this instance's own counts as the fallback. */
export function createSharedSignInLimits(
  config: SignInLimitConfig,
  options: { redisUrl: string; clock: Clock; logger: Logger },
): SignInLimits {
  const redis = connectLimiterRedis(options.redisUrl, options.logger);
  return createSignInLimits(
    config,
    (scope, limit) =>
      createRedisRateLimiter({
        redis,
        namespace: scope,
        limit,
        windowMs: config.windowMs,
        clock: options.clock,
        fallback: createMemoryRateLimiter({ limit, windowMs: config.windowMs, clock: options.clock }),
      }),
    async () => {
      redis.disconnect();
    },
  );
}
