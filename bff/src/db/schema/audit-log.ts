import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.js';

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** Kept when the actor is deleted: the trail outlives the account. */
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    target: text('target'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    requestId: text('request_id'),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_idx').on(t.actorId),
    // The audit page's most common question: one target's trail (or every target under a
    // prefix, `remote:chat`), newest first. Pattern ops let a left-anchored LIKE use the index
    // whatever the database's collation; equality uses it too.
    index('audit_log_target_prefix_idx').on(t.target.op('text_pattern_ops'), t.id),
  ],
);
