import { roles } from '@atrium/contracts';
import { boolean, doublePrecision, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const roleEnum = pgEnum('role', roles);

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Always stored lower-cased (the contracts' emailSchema normalises), so the unique index is case-insensitive. */
  email: text('email').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: roleEnum('role').notNull().default('user'),
  passwordHash: text('password_hash').notNull(),
  /** When an admin disabled the account: sign-in is refused and sessions end. Null = enabled. */
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  /** After an admin's password reset: only the password change is allowed until the user picks one. */
  mustChangePassword: boolean('must_change_password').notNull().default(false),
  /** Monthly budget in USD (calendar month, UTC); null = ATRIUM_DEFAULT_MONTHLY_BUDGET_USD. */
  monthlyBudgetUsd: doublePrecision('monthly_budget_usd'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type UserRow = typeof users.$inferSelect;
