import type { SignInRequest } from '@atrium/contracts';
import type { UserRow } from '../db/schema/index.js';
import type { Deps } from '../env.js';
import { AppError } from '../errors.js';
import { findUserByEmail } from '../users/accounts.js';
import { verifyAgainstDecoy, verifyPassword } from './password.js';
import { createSession, type NewSession, revokeSession } from './sessions.js';

export interface SignInContext {
  ip: string | null;
  userAgent: string | null;
  /** The session the browser still holds, if any: it is revoked so a signed-in id is never reused. */
  previousSessionId: string | null;
  requestId: string;
}

/**
 * Checks credentials under the sign-in limits (per client and email, per client, per account:
 * 429 `auth.rate_limited` / `auth.account_locked` with Retry-After), then rotates the session.
 * A wrong password or unknown email: 401 `auth.invalid_credentials`, counted against all three.
 * The right password of a disabled account: 403 `auth.account_disabled` (checked after the
 * password, so the answer tells nothing to someone who does not know it).
 */
export async function signIn(
  deps: Deps,
  input: SignInRequest,
  ctx: SignInContext,
): Promise<NewSession & { user: UserRow }> {
  const { db, clock, config, signInLimits } = deps;
  const attempt = { ip: ctx.ip, email: input.email };
  await signInLimits.assertAllowed(attempt);
  const user = await findUserByEmail(db, input.email);
  const valid = user
    ? await verifyPassword(input.password, user.passwordHash)
    : await verifyAgainstDecoy(input.password);
  if (!user || !valid) {
    await signInLimits.recordFailure(attempt);
    deps.logger.warn('sign-in failed', { requestId: ctx.requestId, ip: ctx.ip });
    throw new AppError('auth.invalid_credentials', 401, 'The email or password is wrong.');
  }
  // Only someone who knows the password learns the account is disabled: a wrong password got the
  // same 401 as for any account above, counted under the same limits, so this is no oracle for
  // guessers. The correct password neither counts as a failure nor clears earlier ones.
  if (user.disabledAt !== null) {
    deps.logger.warn('sign-in to a disabled account', { requestId: ctx.requestId, ip: ctx.ip });
    throw new AppError('auth.account_disabled', 403, 'This account is disabled. Ask an administrator.');
  }
  await signInLimits.recordSuccess(attempt);
  const now = clock.now();
  if (ctx.previousSessionId) await revokeSession(db, ctx.previousSessionId, now);
  const created = await createSession(db, {
    userId: user.id,
    now,
    policy: config.session,
    userAgent: ctx.userAgent,
    ip: ctx.ip,
  });
  return { ...created, user };
}
