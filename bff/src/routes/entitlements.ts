import {
  changeEntitlementsRequestSchema,
  userEntitlementsListResponseSchema,
  userEntitlementsResponseSchema,
  userIdParamSchema,
} from '@atrium/contracts';
import { Hono } from 'hono';
import { recordAudit } from '../audit/audit-log.js';
import { changeEntitlements, listEntitlements, readEntitlements } from '../entitlements/store.js';
import type { AppEnv } from '../env.js';
import { AppError } from '../errors.js';
import { requires } from '../middleware/requires.js';
import { validate } from '../middleware/validate.js';
import { withEvents } from '../realtime/event-log.js';
import { respond } from '../respond.js';
import { findUserById } from '../users/accounts.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Plans and paid features as an admin manages them (permission `billing:manage`). */
export const entitlementRoutes = new Hono<AppEnv>()
  .use('/api/entitlements', requires('billing:manage'))
  .use('/api/users/:id/entitlements', requires('billing:manage'))
  /** 200 `{ entitlements: UserEntitlements[] }`, every user in creation order. */
  .get('/api/entitlements', async (c) => {
    const { db, clock } = c.get('deps');
    return respond(c, userEntitlementsListResponseSchema, { entitlements: await listEntitlements(db, clock.now()) });
  })
  /** 200 `{ entitlements }`; 404 `user.not_found`. */
  .get('/api/users/:id/entitlements', validate('param', userIdParamSchema), async (c) => {
    const { db, clock } = c.get('deps');
    const { id } = c.req.valid('param');
    if (!(await findUserById(db, id))) throw new AppError('user.not_found', 404, 'No such user.');
    return respond(c, userEntitlementsResponseSchema, { entitlements: await readEntitlements(db, id, clock.now()) });
  })
  /**
   * Sets the plan (source `admin`) and/or one feature's override, with a reason. 200
   * `{ entitlements }`; 400 `request.invalid`; 404 `user.not_found`. Audited as
   * `entitlement.changed` (before, after, reason); when anything changed, pushes
   * `entitlement.updated` to the user in the same transaction and empties every instance's cache.
   * A later billing event sets the plan again (the provider is the plan's source of truth);
   * overrides stay until an admin removes them (`inherit`).
   */
  .put(
    '/api/users/:id/entitlements',
    validate('param', userIdParamSchema),
    validate('json', changeEntitlementsRequestSchema),
    async (c) => {
      const deps = c.get('deps');
      const { id } = c.req.valid('param');
      const change = c.req.valid('json');
      const actorId = c.get('user')!.id;
      const now = deps.clock.now();
      const { after } = await withEvents(
        deps,
        async (tx, emit) => {
          const result = await changeEntitlements(tx, id, change, actorId, now);
          await recordAudit(tx, {
            at: now,
            actorId,
            action: 'entitlement.changed',
            target: `user:${id}`,
            detail: {
              reason: change.reason,
              change: { plan: change.plan ?? null, feature: change.feature ?? null },
              from: { plan: result.before.plan, features: result.before.features },
              to: { plan: result.after.plan, features: result.after.features },
            },
            requestId: c.get('requestId'),
          });
          if (!same(result.before.overrides, result.after.overrides) || result.before.plan !== result.after.plan) {
            await emit.toUser(id, { type: 'entitlement.updated', userId: id });
          }
          return result;
        },
        // Before the event goes out: a tab refetching /api/me on hearing it reads the change on any instance.
        async (result) => {
          if (!same(result.before, result.after)) await deps.entitlements.changed(id);
        },
      );
      return respond(c, userEntitlementsResponseSchema, { entitlements: after });
    },
  );
