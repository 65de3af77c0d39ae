import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { AppError } from '../errors.js';
import { createLogger } from '../logger.js';
import { createManualClock } from '../testing/manual-clock.js';
import { requireServices } from '../testing/multi-instance.js';
import { createSharedSignInLimits, type SignInAttempt, type SignInLimits } from './sign-in-limits.js';

/* Two BFF instances' sign-in limits on one Redis: what one counts, the other enforces. */

const clock = createManualClock();
const rules = loadConfig({}).signInLimits;
const instance = () =>
  createSharedSignInLimits(rules, { redisUrl: requireServices().redisUrl, clock, logger: createLogger('silent') });
const a = instance();
const b = instance();
afterAll(async () => {
  await a.close();
  await b.close();
});

/** The error code a refused attempt gets, or null when it may go ahead. */
async function refusal(limits: SignInLimits, attempt: SignInAttempt): Promise<string | null> {
  try {
    await limits.assertAllowed(attempt);
    return null;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

// Fresh names each run: the Redis is shared with earlier runs and other suites.
const run = randomUUID().slice(0, 8);

describe('sign-in limits shared by every instance (Redis)', () => {
  it('limits one client trying many emails, whichever instance each attempt reached', async () => {
    const ip = `client-${run}`;
    for (let n = 0; n < rules.perClient; n++) {
      const limits = n % 2 === 0 ? a : b;
      const attempt = { ip, email: `guess${n}-${run}@example.com` };
      expect(await refusal(limits, attempt)).toBeNull();
      await limits.recordFailure(attempt);
    }
    expect(await refusal(a, { ip, email: `another-${run}@example.com` })).toBe('auth.rate_limited');
    expect(await refusal(b, { ip, email: `another-${run}@example.com` })).toBe('auth.rate_limited');
    expect(await refusal(b, { ip: `elsewhere-${run}`, email: `another-${run}@example.com` })).toBeNull();
  });

  it('locks one account tried from many clients on every instance, and an unlock on one frees it on all', async () => {
    const email = `victim-${run}@example.com`;
    for (let n = 0; n < rules.perAccount; n++) {
      const limits = n % 2 === 0 ? a : b;
      await limits.recordFailure({ ip: `client-${n}-${run}`, email });
    }
    expect(await refusal(a, { ip: `new-${run}`, email })).toBe('auth.account_locked');
    expect(await b.lockedForSeconds(email)).toBe(rules.windowMs / 1000);

    await b.unlock(email);
    expect(await refusal(a, { ip: `new-${run}`, email })).toBeNull();
    expect(await a.lockedForSeconds(email)).toBe(0);
  });
});
