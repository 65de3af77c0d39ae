import type { Feature, Plan } from '@atrium/contracts';
import { pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.js';

/**
 * A user's plan (issue 11; bff/src/entitlements/store.ts). No row = `free` from `default`.
 * `lastEventAt` is the provider's `created` of the newest billing event applied to this user:
 * an older event arriving later changes nothing (providers deliver out of order).
 */
export const userPlans = pgTable('user_plans', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  plan: text('plan').$type<Plan>().notNull(),
  source: text('source').$type<'default' | 'billing' | 'admin'>().notNull(),
  lastEventAt: timestamp('last_event_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** An admin's grant or revoke of one feature on top of the plan, with the reason they gave. */
export const entitlementOverrides = pgTable(
  'entitlement_overrides',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    feature: text('feature').$type<Feature>().notNull(),
    effect: text('effect').$type<'grant' | 'revoke'>().notNull(),
    reason: text('reason').notNull(),
    /** Who decided it; kept as written (no foreign key), like the audit log's actor. */
    actorId: uuid('actor_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.feature] })],
);

/**
 * Every billing webhook event accepted, by the provider's event id: a redelivery is recognised
 * and changes nothing. `userId` has no foreign key: an event for an unknown (or deleted) user is
 * recorded too, so its redeliveries are answered as duplicates.
 */
export const billingEvents = pgTable('billing_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  userId: uuid('user_id').notNull(),
  created: timestamp('created', { withTimezone: true }).notNull(),
  outcome: text('outcome').$type<'applied' | 'stale' | 'unknown_user'>().notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
});
