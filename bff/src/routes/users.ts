import {
  createUserRequestSchema,
  deleteUserResponseSchema,
  type ManagedUser,
  resetPasswordResponseSchema,
  updateUserRequestSchema,
  userAdminReasonSchema,
  userIdParamSchema,
  userListResponseSchema,
  userResponseSchema,
} from '@atrium/contracts';
import { type Context, Hono } from 'hono';
import { recordAudit } from '../audit/audit-log.js';
import { revokeUserSessions } from '../auth/sessions.js';
import type { UserRow } from '../db/schema/index.js';
import { documentDeps } from '../documents/service.js';
import type { AppEnv, Deps } from '../env.js';
import { AppError, issuesOf } from '../errors.js';
import { requires } from '../middleware/requires.js';
import { assertStorableJson } from '../middleware/storable-text.js';
import { validate } from '../middleware/validate.js';
import { respond } from '../respond.js';
import { createUser, findUserById, listUsers, toManagedUser, updateUser } from '../users/accounts.js';
import {
  type AdminActor,
  deleteUserAccount,
  disableUser,
  enableUser,
  resetPassword,
  revokeSessionsOf,
} from '../users/admin-actions.js';

/** The optional body of unlock: `{ reason? }` (older clients send none). */
const optionalReasonSchema = userAdminReasonSchema.partial();

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
      const actorId = c.get('user')!.id;
      const { before, after } = await updateUser(db, id, c.req.valid('json'), now, actorId);
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
   * Body `{ reason? }` (3–500 characters; optional for older clients, recorded when given).
   * 200 `{ user }`; 404 `user.not_found`. Audited as `user.sign_in_unlocked`.
   */
  .post('/api/users/:id/unlock', validate('param', userIdParamSchema), async (c) => {
    const deps = c.get('deps');
    const { id } = c.req.valid('param');
    const reason = await optionalReason(c);
    const user = await findUserById(deps.db, id);
    if (!user) throw new AppError('user.not_found', 404, 'No such user.');
    const lockedForSeconds = await deps.signInLimits.lockedForSeconds(user.email);
    await deps.signInLimits.unlock(user.email);
    await recordAudit(deps.db, {
      at: deps.clock.now(),
      actorId: c.get('user')!.id,
      action: 'user.sign_in_unlocked',
      target: `user:${id}`,
      detail: { email: user.email, lockedForSeconds, ...(reason ? { reason } : {}) },
      requestId: c.get('requestId'),
    });
    return respond(c, userResponseSchema, { user: await managed(deps, user) });
  })
  /**
   * `{ reason }` → 200 `{ user }`: sign-in refused (403 `auth.account_disabled`), sessions ended
   * (`session.ended` reason `disabled`), access tokens refused. 409 `user.self_action` for
   * oneself, `user.last_admin` for the last enabled admin; 404 `user.not_found`.
   */
  .post(
    '/api/users/:id/disable',
    validate('param', userIdParamSchema),
    validate('json', userAdminReasonSchema),
    async (c) => {
      const deps = c.get('deps');
      const { id } = c.req.valid('param');
      const { user, changed } = await disableUser(
        deps.db,
        actorOf(c),
        { targetId: id, reason: c.req.valid('json').reason },
        deps.clock.now(),
      );
      if (changed) await deps.sse.sessionsChanged(id, 'disabled');
      return respond(c, userResponseSchema, { user: await managed(deps, user) });
    },
  )
  /** `{ reason }` → 200 `{ user }`: the account signs in again. 404 `user.not_found`. */
  .post(
    '/api/users/:id/enable',
    validate('param', userIdParamSchema),
    validate('json', userAdminReasonSchema),
    async (c) => {
      const deps = c.get('deps');
      const { id } = c.req.valid('param');
      const { user } = await enableUser(
        deps.db,
        actorOf(c),
        { targetId: id, reason: c.req.valid('json').reason },
        deps.clock.now(),
      );
      return respond(c, userResponseSchema, { user: await managed(deps, user) });
    },
  )
  /**
   * `{ reason }` → 200 `{ temporaryPassword }`, shown in this response only: sessions end
   * (`password_reset`), the sign-in lock is lifted, and the user must choose a new password
   * before anything else. 409 `user.self_action` for oneself; 404 `user.not_found`.
   */
  .post(
    '/api/users/:id/reset-password',
    validate('param', userIdParamSchema),
    validate('json', userAdminReasonSchema),
    async (c) => {
      const deps = c.get('deps');
      const { id } = c.req.valid('param');
      const { user, temporaryPassword } = await resetPassword(
        deps.db,
        actorOf(c),
        { targetId: id, reason: c.req.valid('json').reason },
        deps.clock.now(),
      );
      await deps.signInLimits.unlock(user.email);
      await deps.sse.sessionsChanged(id, 'password_reset');
      c.header('Cache-Control', 'no-store');
      return respond(c, resetPasswordResponseSchema, { temporaryPassword });
    },
  )
  /** `{ reason }` → 200 `{ user }`: every session of the user ends (`revoked`). 409 `user.self_action`; 404. */
  .post(
    '/api/users/:id/sessions/revoke',
    validate('param', userIdParamSchema),
    validate('json', userAdminReasonSchema),
    async (c) => {
      const deps = c.get('deps');
      const { id } = c.req.valid('param');
      const { user } = await revokeSessionsOf(
        deps.db,
        actorOf(c),
        { targetId: id, reason: c.req.valid('json').reason },
        deps.clock.now(),
      );
      await deps.sse.sessionsChanged(id, 'revoked');
      return respond(c, userResponseSchema, { user: await managed(deps, user) });
    },
  )
  /**
   * `{ reason }` → 200 `{ deleted: { chats, documents, sharedDocumentsKept } }`: what goes and
   * what stays is described at `deleteUserAccount` (users/admin-actions.ts) and in
   * docs/user-administration.md. 409 `user.self_action` / `user.last_admin`; 404.
   */
  .delete(
    '/api/users/:id',
    validate('param', userIdParamSchema),
    validate('json', userAdminReasonSchema),
    async (c) => {
      const deps = c.get('deps');
      const { id } = c.req.valid('param');
      const actor = { ...actorOf(c), id: c.get('user')!.id };
      const deleted = await deleteUserAccount(
        { db: deps.db, sse: deps.sse, documents: documentDeps(deps) },
        actor,
        { targetId: id, reason: c.req.valid('json').reason },
        deps.clock.now(),
      );
      return respond(c, deleteUserResponseSchema, { deleted });
    },
  );

/** The unlock body's optional `reason`: an empty body is none; a body that is there must be `{ reason? }` (400 otherwise). */
async function optionalReason(c: Context<AppEnv>): Promise<string | undefined> {
  const text = await c.req.text();
  if (text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError('request.invalid', 400, 'The request body is not valid JSON.');
  }
  assertStorableJson(body, 'body');
  const parsed = optionalReasonSchema.safeParse(body);
  if (!parsed.success) throw new AppError('request.invalid', 400, 'The request is invalid.', issuesOf(parsed.error));
  return parsed.data.reason;
}

function actorOf(c: Context<AppEnv>): AdminActor {
  return { id: c.get('user')!.id, requestId: c.get('requestId') };
}
