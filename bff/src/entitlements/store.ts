import {
  type BillingWebhookEvent,
  type ChangeEntitlementsRequest,
  type Feature,
  type Plan,
  planFeatures,
  type UserEntitlements,
} from '@atrium/contracts';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { billingEvents, entitlementOverrides, userPlans, users } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import type { EffectiveEntitlements } from './entitlements.js';

type OverrideRow = typeof entitlementOverrides.$inferSelect;
type PlanRow = typeof userPlans.$inferSelect;

/** Plan features ∪ grants − revokes, in the contract's order. */
export function effectiveFeatures(
  plan: Plan,
  overrides: readonly Pick<OverrideRow, 'feature' | 'effect'>[],
): Feature[] {
  const set = new Set<Feature>(planFeatures[plan]);
  for (const o of overrides) {
    if (o.effect === 'grant') set.add(o.feature);
    else set.delete(o.feature);
  }
  return [...set].sort();
}

/** The user's plan and overrides as stored; no plan row is `free` from `default`. */
export async function readEntitlements(db: Database, userId: string, fallbackAt: Date): Promise<UserEntitlements> {
  const [plan] = await db.select().from(userPlans).where(eq(userPlans.userId, userId));
  const overrides = await db
    .select()
    .from(entitlementOverrides)
    .where(eq(entitlementOverrides.userId, userId))
    .orderBy(entitlementOverrides.feature);
  return toView(userId, plan, overrides, fallbackAt);
}

function toView(userId: string, plan: PlanRow | undefined, overrides: readonly OverrideRow[], fallbackAt: Date) {
  const current: Plan = plan?.plan ?? 'free';
  return {
    userId,
    plan: current,
    planSource: plan?.source ?? 'default',
    overrides: overrides.map((o) => ({
      feature: o.feature,
      effect: o.effect,
      reason: o.reason,
      actorId: o.actorId,
      at: o.at.toISOString(),
    })),
    features: effectiveFeatures(current, overrides),
    updatedAt: latest([plan?.updatedAt, ...overrides.map((o) => o.at)], fallbackAt).toISOString(),
  } satisfies UserEntitlements;
}

function latest(dates: readonly (Date | undefined)[], fallback: Date): Date {
  const times = dates.filter((d): d is Date => d !== undefined).map((d) => d.getTime());
  return times.length > 0 ? new Date(Math.max(...times)) : fallback;
}

export async function readEffective(db: Database, userId: string): Promise<EffectiveEntitlements> {
  const { plan, features } = await readEntitlements(db, userId, new Date(0));
  return { plan, features };
}

/** The user's plan row, locked until the transaction ends (created as `free`/`default` first if missing). */
async function lockPlan(tx: Database, userId: string, now: Date): Promise<PlanRow> {
  await tx
    .insert(userPlans)
    .values({ userId, plan: 'free', source: 'default', updatedAt: now })
    .onConflictDoNothing({ target: userPlans.userId });
  const [row] = await tx.select().from(userPlans).where(eq(userPlans.userId, userId)).for('update');
  return row!;
}

async function userExists(tx: Database, userId: string): Promise<boolean> {
  const [row] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('share');
  return row !== undefined;
}

/**
 * An admin's change (inside the caller's transaction): the plan, and/or one feature's override
 * (`inherit` removes it). Returns the view before and after. 404 `user.not_found`.
 */
export async function changeEntitlements(
  tx: Database,
  userId: string,
  change: ChangeEntitlementsRequest,
  actorId: string,
  now: Date,
): Promise<{ before: UserEntitlements; after: UserEntitlements }> {
  if (!(await userExists(tx, userId))) throw new AppError('user.not_found', 404, 'No such user.');
  await lockPlan(tx, userId, now);
  const before = await readEntitlements(tx, userId, now);
  if (change.plan !== undefined) {
    await tx
      .update(userPlans)
      .set({ plan: change.plan, source: 'admin', updatedAt: now })
      .where(eq(userPlans.userId, userId));
  }
  if (change.feature) {
    const { feature, effect } = change.feature;
    if (effect === 'inherit') {
      await tx
        .delete(entitlementOverrides)
        .where(sql`${entitlementOverrides.userId} = ${userId} and ${entitlementOverrides.feature} = ${feature}`);
    } else {
      const row = { userId, feature, effect, reason: change.reason, actorId, at: now };
      await tx
        .insert(entitlementOverrides)
        .values(row)
        .onConflictDoUpdate({
          target: [entitlementOverrides.userId, entitlementOverrides.feature],
          set: { effect, reason: change.reason, actorId, at: now },
        });
    }
  }
  return { before, after: await readEntitlements(tx, userId, now) };
}

/** The plan a subscription event leaves the user on: ended or unpaid subscriptions fall back to `free`. */
export function planAfter(event: BillingWebhookEvent): Plan {
  if (event.type === 'subscription.deleted') return 'free';
  // past_due keeps the plan while the provider retries the payment (its dunning period).
  return event.data.status === 'canceled' || event.data.status === 'unpaid' ? 'free' : event.data.plan;
}

export type BillingOutcome =
  | { duplicate: true }
  | { duplicate: false; outcome: 'unknown_user' | 'stale' }
  | { duplicate: false; outcome: 'applied'; before: Plan; after: Plan };

/**
 * Applies one verified billing event inside the caller's transaction. The event id is recorded
 * first (insert-or-nothing): a redelivery is `duplicate` and changes nothing. An event created
 * before the newest one applied to the user is recorded as `stale`; one for an unknown user as
 * `unknown_user` (answered 200, so the provider stops retrying).
 */
export async function applyBillingEvent(tx: Database, event: BillingWebhookEvent, now: Date): Promise<BillingOutcome> {
  const created = new Date(event.created * 1000);
  const inserted = await tx
    .insert(billingEvents)
    .values({
      id: event.id,
      type: event.type,
      userId: event.data.userId,
      created,
      outcome: 'applied',
      receivedAt: now,
    })
    .onConflictDoNothing({ target: billingEvents.id })
    .returning({ id: billingEvents.id });
  if (inserted.length === 0) return { duplicate: true };
  const record = (outcome: 'unknown_user' | 'stale') =>
    tx.update(billingEvents).set({ outcome }).where(eq(billingEvents.id, event.id));

  if (!(await userExists(tx, event.data.userId))) {
    await record('unknown_user');
    return { duplicate: false, outcome: 'unknown_user' };
  }
  const row = await lockPlan(tx, event.data.userId, now);
  // Same second as the newest applied: arrival order decides (the provider's clock has 1 s resolution).
  if (row.lastEventAt && row.lastEventAt.getTime() > created.getTime()) {
    await record('stale');
    return { duplicate: false, outcome: 'stale' };
  }
  const plan = planAfter(event);
  await tx
    .update(userPlans)
    .set({ plan, source: 'billing', lastEventAt: created, updatedAt: now })
    .where(eq(userPlans.userId, event.data.userId));
  return { duplicate: false, outcome: 'applied', before: row.plan, after: plan };
}

/** Every user's entitlements (the admin Plans page), in the users' creation order. */
export async function listEntitlements(db: Database, now: Date): Promise<UserEntitlements[]> {
  const [all, plans, overrides] = await Promise.all([
    db.select({ id: users.id }).from(users).orderBy(users.createdAt, users.id),
    db.select().from(userPlans),
    db.select().from(entitlementOverrides).orderBy(entitlementOverrides.feature),
  ]);
  const planOf = new Map(plans.map((p) => [p.userId, p]));
  return all.map(({ id }) => {
    const plan = planOf.get(id);
    const own = overrides.filter((o) => o.userId === id);
    return toView(id, plan, own, now);
  });
}
