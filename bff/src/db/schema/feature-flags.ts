import type { FlagTargeting } from '@atrium/contracts';
import { boolean, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.js';

/**
 * Feature flags (issue 11; bff/src/flags/). Keys are the code's own (`uploads`, `mcp.server`):
 * rows are seeded by the migration, never created through the API, so a flag always gates
 * something real. `targeting` is checked with contracts' flagTargetingSchema before it is stored.
 */
export const featureFlags = pgTable('feature_flags', {
  key: text('key').primaryKey(),
  description: text('description').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  targeting: jsonb('targeting').$type<FlagTargeting>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  /** Who changed it last; null for the seed, or when that account was deleted. */
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
});

export type FeatureFlagRow = typeof featureFlags.$inferSelect;
