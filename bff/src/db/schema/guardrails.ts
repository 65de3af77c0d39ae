import { date, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/**
 * How often each guardrail fired, per UTC day (guardrails/record.ts upserts it in the
 * transaction that audits the trigger): `layer` is input | output | tool | retrieval,
 * `kind` what fired (a mask kind, an injection signal's source, a refusal code).
 */
export const guardrailCounts = pgTable(
  'guardrail_counts',
  {
    layer: text('layer').notNull(),
    kind: text('kind').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.layer, t.kind, t.day] })],
);
