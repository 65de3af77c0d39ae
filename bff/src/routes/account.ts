import {
  accessTokenListResponseSchema,
  accessTokenSchema,
  changePasswordRequestSchema,
  createAccessTokenRequestSchema,
  createAccessTokenResponseSchema,
  okResponseSchema,
  sessionIdParamSchema,
  sessionListResponseSchema,
} from '@atrium/contracts';
import { Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../audit/audit-log.js';
import { createAccessToken, listAccessTokens, revokeAccessToken, toAccessToken } from '../auth/access-tokens.js';
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
    // A temporary password the admin saw must not stay the password; no change is never a change.
    if (body.newPassword === body.currentPassword) {
      throw new AppError('auth.password_unchanged', 400, 'Choose a password different from the current one.');
    }
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
  })
  /** The caller's personal access tokens, newest first: `{ tokens: AccessToken[] }` (never the secrets). */
  .get('/api/account/tokens', async (c) => {
    const rows = await listAccessTokens(c.get('deps').db, c.get('user')!.id);
    return respond(c, accessTokenListResponseSchema, { tokens: rows.map(toAccessToken) });
  })
  /**
   * Creates a token `{ name, scopes, expiresInDays | null }` → 201 `{ token, secret }`; the
   * secret is in this response only. Audited `token.created` (never with the secret).
   */
  .post('/api/account/tokens', validate('json', createAccessTokenRequestSchema), async (c) => {
    const { db, clock } = c.get('deps');
    const user = c.get('user')!;
    const body = c.req.valid('json');
    const now = clock.now();
    const expiresAt = body.expiresInDays === null ? null : new Date(now.getTime() + body.expiresInDays * 86_400_000);
    const { row, secret } = await db.transaction(async (tx) => {
      const created = await createAccessToken(tx, {
        userId: user.id,
        name: body.name,
        scopes: body.scopes,
        expiresAt,
        now,
      });
      await recordAudit(tx, {
        at: now,
        actorId: user.id,
        action: 'token.created',
        target: `access_token:${created.row.id}`,
        detail: { name: created.row.name, scopes: created.row.scopes, expiresAt: expiresAt?.toISOString() ?? null },
        requestId: c.get('requestId'),
      });
      return created;
    });
    return respond(c, createAccessTokenResponseSchema, { token: toAccessToken(row), secret }, 201);
  })
  /** Revokes one of the caller's tokens → `{ token }`; someone else's id is 404 `token.not_found`, as a missing one. */
  .delete('/api/account/tokens/:id', validate('param', z.object({ id: z.uuid() })), async (c) => {
    const { db, clock } = c.get('deps');
    const user = c.get('user')!;
    const now = clock.now();
    const row = await db.transaction(async (tx) => {
      const revoked = await revokeAccessToken(tx, user.id, c.req.valid('param').id, now);
      if (!revoked) throw new AppError('token.not_found', 404, 'No such access token.');
      await recordAudit(tx, {
        at: now,
        actorId: user.id,
        action: 'token.revoked',
        target: `access_token:${revoked.id}`,
        detail: { name: revoked.name },
        requestId: c.get('requestId'),
      });
      return revoked;
    });
    return respond(c, z.object({ token: accessTokenSchema }), { token: toAccessToken(row) });
  });
