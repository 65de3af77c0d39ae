import {
  createUserRequestSchema,
  type ManagedUser,
  updateUserRequestSchema,
  userIdParamSchema,
  userListResponseSchema,
  userResponseSchema,
} from '@atrium/contracts';
import { Hono } from 'hono';
import { recordAudit } from '../audit/audit-log.js';
import { revokeUserSessions } from '../auth/sessions.js';
import type { UserRow } from '../db/schema/index.js';
import type { AppEnv, Deps } from '../env.js';
import { AppError } from '../errors.js';
import { requires } from '../middleware/requires.js';
import { validate } from '../middleware/validate.js';
import { respond } from '../respond.js';
import { createUser, findUserById, listUsers, toManagedUser, updateUser } from '../users/accounts.js';

/** The row as an administrator sees it, with its sign-in lock read from the sign-in limits. */
export async function managed({ signInLimits, clock }: Deps, row: UserRow): Promise<ManagedUser> {
  const seconds = await signInLimits.lockedForSeconds(row.email);
  return toManagedUser(row, seconds > 0 ? new Date(clock.now().getTime() + seconds * 1000) : null);
}

export const userRoutes = new Hono<AppEnv>()
  .use('/api/users', requires('users:manage'))
  .use('/api/users/*', requires('users:manage'))
  .get('/api/users', async (c) => {
    const deps = c.get('deps');
    const rows = await listUsers(deps.db);
    return respond(c, userListResponseSchema, { users: await Promise.all(rows.map((row) => managed(deps, row))) });
  })
  .post('/api/users', validate('json', createUserRequestSchema), async (c) => {
    const { db, clock } = c.get('deps');
    const now = clock.now();
    const body = c.req.valid('json');
    const user = await createUser(db, { ...body, now });
    await recordAudit(db, {
      at: now,
      actorId: c.get('user')!.id,
      action: 'user.created',
      target: `user:${user.id}`,
      detail: { email: user.email, role: user.role },
      requestId: c.get('requestId'),
    });
    return respond(c, userResponseSchema, { user: await managed(c.get('deps'), user) }, 201);
  })
  .patch(
    '/api/users/:id',
    validate('param', userIdParamSchema),
    validate('json', updateUserRequestSchema),
    async (c) => {
      const { db, clock } = c.get('deps');
      const now = clock.now();
      const { id } = c.req.valid('param');
      const { before, after } = await updateUser(db, id, c.req.valid('json'), now);
      const roleChanged = before.role !== after.role;
      // New permissions take effect at once: the user signs in again rather than keeping a stale session.
      const revokedSessions = roleChanged ? await revokeUserSessions(db, id, now) : 0;
      if (roleChanged) await c.get('deps').sse.sessionsChanged(id, 'role_changed');
      await recordAudit(db, {
        at: now,
        actorId: c.get('user')!.id,
        action: roleChanged ? 'user.role_changed' : 'user.updated',
        target: `user:${id}`,
        detail: {
          from: { role: before.role, displayName: before.displayName },
          to: { role: after.role, displayName: after.displayName },
          revokedSessions,
        },
        requestId: c.get('requestId'),
      });
      return respond(c, userResponseSchema, { user: await managed(c.get('deps'), after) });
    },
  )
  /**
   * Ends a sign-in lock early: the account's failure count and every client's count for it.
   * 200 `{ user }`; 404 `user.not_found`. Audited as `user.sign_in_unlocked`.
   */
  .post('/api/users/:id/unlock', validate('param', userIdParamSchema), async (c) => {
    const deps = c.get('deps');
    const { id } = c.req.valid('param');
    const user = await findUserById(deps.db, id);
    if (!user) throw new AppError('user.not_found', 404, 'No such user.');
    const lockedForSeconds = await deps.signInLimits.lockedForSeconds(user.email);
    await deps.signInLimits.unlock(user.email);
    await recordAudit(deps.db, {
      at: deps.clock.now(),
      actorId: c.get('user')!.id,
      action: 'user.sign_in_unlocked',
      target: `user:${id}`,
      detail: { email: user.email, lockedForSeconds },
      requestId: c.get('requestId'),
    });
    return respond(c, userResponseSchema, { user: await managed(deps, user) });
  });
