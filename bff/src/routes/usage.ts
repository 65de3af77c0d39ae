import {
  accountUsageResponseSchema,
  setBudgetRequestSchema,
  usageQuerySchema,
  usageResponseSchema,
  userIdParamSchema,
  userResponseSchema,
} from '@atrium/contracts';
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { recordAudit } from '../audit/audit-log.js';
import { users } from '../db/schema/index.js';
import type { AppEnv } from '../env.js';
import { AppError } from '../errors.js';
import { requires, signedIn } from '../middleware/requires.js';
import { validate } from '../middleware/validate.js';
import { respond } from '../respond.js';
import { accountUsage, usageTotals } from '../usage/usage.js';
import { managed } from './users.js';

/** Usage totals and budgets (issue 11, contracts/src/usage.ts). */
export const usageRoutes = new Hono<AppEnv>()
  /**
   * Tokens and cost per bucket (day/month, UTC) and per user, agent or model over [from, to).
   * 200 `{ rows }`; 400 `request.invalid` for a bad or longer-than-366-days range; 403 without `usage:read`.
   */
  .get('/api/usage', requires('usage:read'), validate('query', usageQuerySchema), async (c) => {
    const rows = await usageTotals(c.get('deps').db, c.req.valid('query'));
    return respond(c, usageResponseSchema, { rows });
  })
  /** The caller's own calendar month (UTC): cost, tokens and budget (null = unlimited). */
  .get('/api/account/usage', signedIn(), async (c) => {
    const { db, config, clock } = c.get('deps');
    const body = await accountUsage(db, c.get('user')!, config.usage, clock.now());
    return respond(c, accountUsageResponseSchema, body);
  })
  /**
   * Sets a user's monthly budget in USD (null: back to ATRIUM_DEFAULT_MONTHLY_BUDGET_USD), with a
   * reason; audited as `user.budget_changed` in the same transaction. 200 `{ user }`; 404 `user.not_found`.
   */
  .put(
    '/api/users/:id/budget',
    requires('users:manage'),
    validate('param', userIdParamSchema),
    validate('json', setBudgetRequestSchema),
    async (c) => {
      const deps = c.get('deps');
      const { id } = c.req.valid('param');
      const { monthlyUsd, reason } = c.req.valid('json');
      const now = deps.clock.now();
      const after = await deps.db.transaction(async (tx) => {
        const [before] = await tx
          .select({ monthlyBudgetUsd: users.monthlyBudgetUsd })
          .from(users)
          .where(eq(users.id, id))
          .for('update');
        if (!before) throw new AppError('user.not_found', 404, 'No such user.');
        const [row] = await tx
          .update(users)
          .set({ monthlyBudgetUsd: monthlyUsd, updatedAt: now })
          .where(eq(users.id, id))
          .returning();
        await recordAudit(tx, {
          at: now,
          actorId: c.get('user')!.id,
          action: 'user.budget_changed',
          target: `user:${id}`,
          detail: { from: before.monthlyBudgetUsd, to: monthlyUsd, reason },
          requestId: c.get('requestId'),
        });
        return row!;
      });
      return respond(c, userResponseSchema, { user: await managed(deps, after) });
    },
  );
