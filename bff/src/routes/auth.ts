import {
  csrfResponseSchema,
  type MeResponse,
  meResponseSchema,
  okResponseSchema,
  signInRequestSchema,
} from '@atrium/contracts';
import { type Context, Hono } from 'hono';
import { csrfCookie, sessionCookie } from '../auth/cookies.js';
import { revokeSession } from '../auth/sessions.js';
import { signIn } from '../auth/sign-in.js';
import { randomToken } from '../auth/tokens.js';
import { clientIp } from '../client-ip.js';
import type { SessionRow, UserRow } from '../db/schema/index.js';
import type { AppEnv, Deps } from '../env.js';
import { signedIn } from '../middleware/requires.js';
import { validate } from '../middleware/validate.js';
import { respond } from '../respond.js';
import { toUserView } from '../users/accounts.js';

/** The caller as `/api/me` and the boot payload show them: plan, paid features and flags read fresh (cached per instance). */
export async function toMe(
  deps: Pick<Deps, 'entitlements' | 'flags'>,
  session: SessionRow,
  user: UserRow,
): Promise<MeResponse> {
  const [{ plan, features }, flags] = await Promise.all([deps.entitlements.of(user), deps.flags.snapshotFor(user)]);
  return {
    user: toUserView(user),
    csrfToken: session.csrfToken,
    sessionExpiresAt: session.expiresAt.toISOString(),
    plan,
    entitlements: features,
    flags,
    mustChangePassword: user.mustChangePassword,
  };
}

/** The pre-session token for sign-in; issued once and kept in the double-submit cookie. */
export function preSessionCsrfToken(c: Context<AppEnv>): string {
  const existing = csrfCookie.read(c);
  if (existing) return existing;
  const token = randomToken();
  csrfCookie.write(c, token);
  return token;
}

export const authRoutes = new Hono<AppEnv>()
  .get('/api/auth/csrf', (c) =>
    respond(c, csrfResponseSchema, { csrfToken: c.get('session')?.csrfToken ?? preSessionCsrfToken(c) }),
  )
  .post('/api/auth/sign-in', validate('json', signInRequestSchema), async (c) => {
    const { token, session, user } = await signIn(c.get('deps'), c.req.valid('json'), {
      ip: clientIp(c),
      userAgent: c.req.header('user-agent') ?? null,
      previousSessionId: c.get('session')?.id ?? null,
      requestId: c.get('requestId'),
    });
    sessionCookie.write(c, token);
    c.set('session', session);
    c.set('user', user);
    return respond(c, meResponseSchema, await toMe(c.get('deps'), session, user));
  })
  .post('/api/auth/sign-out', async (c) => {
    const session = c.get('session');
    if (session) {
      const { db, clock, sse } = c.get('deps');
      await revokeSession(db, session.id, clock.now());
      await sse.sessionsChanged(session.userId, 'signed_out');
    }
    sessionCookie.clear(c);
    return respond(c, okResponseSchema, { ok: true });
  })
  .get('/api/me', signedIn(), async (c) =>
    respond(c, meResponseSchema, await toMe(c.get('deps'), c.get('session')!, c.get('user')!)),
  );
