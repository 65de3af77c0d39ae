import { and, asc, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database } from '../db/index.js';
import { type JobRow, jobs } from '../db/schema/index.js';

/** Why a job's last attempt failed: a stable code (a `DocumentFailure` code where the handler knows one) and words. */
export interface JobError {
  code: string;
  message: string;
}

/** A claimed job: `attempts` already counts this attempt (1 on the first run). */
export type ClaimedJob<P = Record<string, unknown>> = Omit<JobRow, 'payload'> & { payload: P };

export interface EnqueueOptions {
  /** At most one queued or running job per `(queue, key)`: enqueueing the same key again is a no-op. */
  key?: string;
  /** Attempts before the job is dead (status `failed`). Default 5. */
  maxAttempts?: number;
  /** Not claimed before this instant. Default now. */
  runAt?: Date;
}

export interface BackoffPolicy {
  /** Delay after the first failed attempt, in ms; doubled after each further one. */
  baseMs: number;
  /** Longest delay, in ms. */
  maxMs: number;
}

export type FailOutcome = 'retrying' | 'failed' | 'lost';

export interface JobQueue {
  /**
   * Adds a job inside the caller's transaction `tx`, so the job exists exactly when the state
   * that needs it was committed. Idempotent by `key` among active (queued/running) jobs: returns
   * the existing job's id with `created: false`.
   */
  enqueue(
    tx: Database,
    queue: string,
    payload: Record<string, unknown>,
    options?: EnqueueOptions,
  ): Promise<{ id: string; created: boolean }>;
  /**
   * Takes up to `limit` due jobs of `queue` for `workerId` for `leaseMs`: queued jobs whose
   * `runAt` has come, and running jobs whose lease ran out (their worker died) with attempts
   * left. `FOR UPDATE SKIP LOCKED` makes concurrent claims by several workers disjoint.
   */
  claim(queue: string, workerId: string, limit: number, leaseMs: number): Promise<ClaimedJob[]>;
  /**
   * Marks dead the running jobs of `queue` whose lease ran out on their last attempt (a worker
   * died during it), with `job.lease_expired`; returns them, each to exactly one caller.
   */
  reapExpired(queue: string): Promise<JobRow[]>;
  /** Extends the lease while `workerId` still holds the job; false once it was lost (expired and reclaimed, or cancelled). */
  renew(jobId: string, workerId: string, leaseMs: number): Promise<boolean>;
  /** Marks the job done; false (and nothing written) when `workerId` no longer holds it. */
  complete(jobId: string, workerId: string): Promise<boolean>;
  /**
   * Records a failed attempt: back to `queued` after the backoff (base × 2^(attempts−1), capped),
   * or `failed` with `error` as its `lastError` once `maxAttempts` is reached. `lost` when
   * `workerId` no longer holds the job (nothing written).
   */
  fail(jobId: string, workerId: string, error: JobError): Promise<FailOutcome>;
  /** Cancels the active job with this key (queued or running) inside `tx`; returns how many (0 or 1). */
  cancelByKey(tx: Database, queue: string, key: string): Promise<number>;
}

const activeStatuses = ['queued', 'running'] as const;
const defaultMaxAttempts = 5;
const defaultBackoff: BackoffPolicy = { baseMs: 5_000, maxMs: 5 * 60_000 };

/**
 * The durable job queue on the database the BFF already uses (table `jobs`). Not pg-boss or
 * graphile-worker: docs/decisions.md ("Jobs: our own small queue") says why. All times come
 * from `clock`, so leases and backoff are tested by moving a manual clock.
 */
export function createJobQueue(deps: { db: Database; clock: Clock; backoff?: BackoffPolicy }): JobQueue {
  const { db, clock } = deps;
  const backoff = deps.backoff ?? defaultBackoff;
  const isActive = inArray(jobs.status, [...activeStatuses]);
  const heldBy = (jobId: string, workerId: string) =>
    and(eq(jobs.id, jobId), eq(jobs.status, 'running'), eq(jobs.lockedBy, workerId));

  return {
    async enqueue(tx, queue, payload, options = {}) {
      const now = clock.now();
      const [inserted] = await tx
        .insert(jobs)
        .values({
          queue,
          key: options.key ?? null,
          payload,
          status: 'queued',
          maxAttempts: options.maxAttempts ?? defaultMaxAttempts,
          runAt: options.runAt ?? now,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing({ target: [jobs.queue, jobs.key], where: sql`status in ('queued', 'running')` })
        .returning({ id: jobs.id });
      if (inserted) return { id: inserted.id, created: true };
      // Only a keyed insert can conflict: the active job holding the key is the answer.
      const [existing] = await tx
        .select({ id: jobs.id })
        .from(jobs)
        .where(and(eq(jobs.queue, queue), eq(jobs.key, options.key ?? ''), isActive));
      if (!existing) throw new Error(`job ${queue}/${options.key} conflicted but no active job holds the key`);
      return { id: existing.id, created: false };
    },

    async claim(queue, workerId, limit, leaseMs) {
      const now = clock.now();
      const due = db
        .select({ id: jobs.id })
        .from(jobs)
        .where(
          and(
            eq(jobs.queue, queue),
            or(
              and(eq(jobs.status, 'queued'), lte(jobs.runAt, now)),
              and(eq(jobs.status, 'running'), lt(jobs.lockedUntil, now), lt(jobs.attempts, jobs.maxAttempts)),
            ),
          ),
        )
        .orderBy(asc(jobs.runAt), asc(jobs.createdAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      const claimed = await db
        .update(jobs)
        .set({
          status: 'running',
          attempts: sql`${jobs.attempts} + 1`,
          lockedBy: workerId,
          lockedUntil: new Date(now.getTime() + leaseMs),
          updatedAt: now,
        })
        .where(inArray(jobs.id, due))
        .returning();
      return claimed.sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
    },

    async reapExpired(queue) {
      const now = clock.now();
      return db
        .update(jobs)
        .set({
          status: 'failed',
          lastError: {
            code: 'job.lease_expired',
            message: 'The worker running the last attempt stopped (a crash or a restart) before it finished.',
          },
          lockedBy: null,
          lockedUntil: null,
          updatedAt: now,
        })
        .where(
          and(
            eq(jobs.queue, queue),
            eq(jobs.status, 'running'),
            lt(jobs.lockedUntil, now),
            sql`${jobs.attempts} >= ${jobs.maxAttempts}`,
          ),
        )
        .returning();
    },

    async renew(jobId, workerId, leaseMs) {
      const now = clock.now();
      const renewed = await db
        .update(jobs)
        .set({ lockedUntil: new Date(now.getTime() + leaseMs), updatedAt: now })
        .where(heldBy(jobId, workerId))
        .returning({ id: jobs.id });
      return renewed.length > 0;
    },

    async complete(jobId, workerId) {
      const done = await db
        .update(jobs)
        .set({ status: 'done', lockedBy: null, lockedUntil: null, updatedAt: clock.now() })
        .where(heldBy(jobId, workerId))
        .returning({ id: jobs.id });
      return done.length > 0;
    },

    async fail(jobId, workerId, error) {
      const now = clock.now();
      // One statement decides retry or death from the row's own counts, so no read can go stale.
      const delayMs = sql`least(${backoff.maxMs}::float8, ${backoff.baseMs}::float8 * power(2, ${jobs.attempts} - 1))`;
      const [row] = await db
        .update(jobs)
        .set({
          status: sql`case when ${jobs.attempts} >= ${jobs.maxAttempts} then 'failed' else 'queued' end`,
          runAt: sql`case when ${jobs.attempts} >= ${jobs.maxAttempts} then ${jobs.runAt}
            else ${now.toISOString()}::timestamptz + ${delayMs} * interval '1 millisecond' end`,
          lastError: { code: error.code, message: error.message },
          lockedBy: null,
          lockedUntil: null,
          updatedAt: now,
        })
        .where(heldBy(jobId, workerId))
        .returning({ status: jobs.status });
      if (!row) return 'lost';
      return row.status === 'failed' ? 'failed' : 'retrying';
    },

    async cancelByKey(tx, queue, key) {
      const cancelled = await tx
        .update(jobs)
        .set({ status: 'cancelled', lockedBy: null, lockedUntil: null, updatedAt: clock.now() })
        .where(and(eq(jobs.queue, queue), eq(jobs.key, key), isActive))
        .returning({ id: jobs.id });
      return cancelled.length;
    },
  };
}
