import {
  createUserRequestSchema,
  updateUserRequestSchema,
  userIdParamSchema,
  userListResponseSchema,
  userResponseSchema,
} from '@atrium/contracts';
import { Hono } from 'hono';
import { recordAudit } from '../audit/audit-log.js';
import { revokeUserSessions } from '../auth/sessions.js';
import type { AppEnv } from '../env.js';
import { requires } from '../middleware/requires.js';
import { validate } from '../middleware/validate.js';
import { respond } from '../respond.js';
import { createUser, listUsers, toManagedUser, updateUser } from '../users/accounts.js';

export const userRoutes = new Hono<AppEnv>()
  .use('/api/users', requires('users:manage'))
  .use('/api/users/*', requires('users:manage'))
  .get('/api/users', async (c) => {
    const rows = await listUsers(c.get('deps').db);
    return respond(c, userListResponseSchema, { users: rows.map(toManagedUser) });
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
    return respond(c, userResponseSchema, { user: toManagedUser(user) }, 201);
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
      return respond(c, userResponseSchema, { user: toManagedUser(after) });
    },
  );
