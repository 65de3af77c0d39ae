import {
  changePasswordRequestSchema,
  okResponseSchema,
  sessionIdParamSchema,
  sessionListResponseSchema,
} from '@atrium/contracts';
import { Hono } from 'hono';
import { recordAudit } from '../audit/audit-log.js';
import { sessionCookie } from '../auth/cookies.js';
import { verifyPassword } from '../auth/password.js';
import { listUserSessions, revokeOwnSession, revokeUserSessions } from '../auth/sessions.js';
import { clientIp } from '../client-ip.js';
import type { AppEnv } from '../env.js';
import { AppError } from '../errors.js';
import { signedIn } from '../middleware/requires.js';
import { validate } from '../middleware/validate.js';
import { respond } from '../respond.js';
import { setPassword } from '../users/accounts.js';

export const accountRoutes = new Hono<AppEnv>()
  .use('/api/account/*', signedIn())
  .post('/api/account/password', validate('json', changePasswordRequestSchema), async (c) => {
    const { db, clock, sse, signInLimits } = c.get('deps');
    const user = c.get('user')!;
    const session = c.get('session')!;
    const body = c.req.valid('json');
    // Guessing the current password from a borrowed session is guessing a password: same limits as sign-in.
    const attempt = { ip: clientIp(c), email: user.email };
    await signInLimits.assertAllowed(attempt);
    if (!(await verifyPassword(body.currentPassword, user.passwordHash))) {
      await signInLimits.recordFailure(attempt);
      throw new AppError('auth.wrong_password', 400, 'The current password is wrong.');
    }
    await signInLimits.recordSuccess(attempt);
    const now = clock.now();
    await setPassword(db, user.id, body.newPassword, now);
    const revoked = await revokeUserSessions(db, user.id, now, { except: session.id });
    await sse.sessionsChanged(user.id, 'revoked');
    await recordAudit(db, {
      at: now,
      actorId: user.id,
      action: 'account.password_changed',
      target: `user:${user.id}`,
      detail: { revokedSessions: revoked },
      requestId: c.get('requestId'),
    });
    return respond(c, okResponseSchema, { ok: true });
  })
  .get('/api/account/sessions', async (c) => {
    const { db, clock, config } = c.get('deps');
    const current = c.get('session')!;
    const rows = await listUserSessions(db, c.get('user')!.id, clock.now(), config.session);
    return respond(c, sessionListResponseSchema, {
      sessions: rows.map((s) => ({
        id: s.id,
        current: s.id === current.id,
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: s.lastSeenAt.toISOString(),
        userAgent: s.userAgent,
        ip: s.ip,
      })),
    });
  })
  .delete('/api/account/sessions/:id', validate('param', sessionIdParamSchema), async (c) => {
    const { db, clock, sse } = c.get('deps');
    const { id } = c.req.valid('param');
    const user = c.get('user')!;
    if (!(await revokeOwnSession(db, user.id, id, clock.now()))) {
      throw new AppError('session.not_found', 404, 'No such session.');
    }
    await sse.sessionsChanged(user.id, 'revoked');
    if (id === c.get('session')!.id) sessionCookie.clear(c);
    return respond(c, okResponseSchema, { ok: true });
  });
