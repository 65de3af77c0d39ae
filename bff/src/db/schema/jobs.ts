import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const jobStatuses = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];

/**
 * The durable job queue (jobs/queue.ts): enqueued inside the transaction that needs the work,
 * claimed with `FOR UPDATE SKIP LOCKED`, held by a lease (`lockedUntil`) that a crashed worker
 * stops renewing so another claims it again. `key` makes enqueueing idempotent: at most one
 * queued or running job per key.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    queue: text('queue').notNull(),
    key: text('key'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<JobStatus>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    runAt: timestamp('run_at', { withTimezone: true }).notNull(),
    lockedBy: text('locked_by'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: jsonb('last_error').$type<{ code: string; message: string }>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('jobs_active_key_idx').on(t.queue, t.key).where(sql`status in ('queued', 'running')`),
    index('jobs_claim_idx').on(t.queue, t.runAt).where(sql`status in ('queued', 'running')`),
  ],
);

export type JobRow = typeof jobs.$inferSelect;
