import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './users.js';

/**
 * Request counts and latency per minute, route pattern and status class, shared by every BFF
 * instance (issue 11, ops dashboards). Each instance batches in memory and adds its counts with
 * an upsert (bff/src/middleware/request-rollup.ts), so two instances' rows add up.
 * `buckets[i]` counts requests at most `requestRollupBoundsMs[i]` ms (the last: above every bound).
 */
export const requestRollups = pgTable(
  'request_rollups',
  {
    minute: timestamp('minute', { withTimezone: true }).notNull(),
    /** The Hono route pattern (`/api/chats/:id`), never the raw path: bounded cardinality. */
    route: text('route').notNull(),
    method: text('method').notNull(),
    /** `2xx`, `4xx`, `5xx`… */
    statusClass: text('status_class').notNull(),
    count: integer('count').notNull(),
    sumMs: doublePrecision('sum_ms').notNull(),
    buckets: integer('buckets').array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.minute, t.route, t.method, t.statusClass] })],
);

/** One run of the eval suite (evals/, `pnpm eval`), reported by the runner (issue 11). */
export const evalRuns = pgTable(
  'eval_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The runner's own name for the run (suite, commit…). */
    name: text('name').notNull(),
    passed: integer('passed').notNull(),
    total: integer('total').notNull(),
    /** Extra facts the runner sends (model, commit, per-suite counts); not interpreted. */
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    reportedBy: uuid('reported_by').references(() => users.id, { onDelete: 'set null' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  // With the id, read backwards it gives the list's `at DESC, id DESC` with no sort.
  (t) => [index('eval_runs_at_idx').on(t.at, t.id)],
);

export type EvalRunRow = typeof evalRuns.$inferSelect;
