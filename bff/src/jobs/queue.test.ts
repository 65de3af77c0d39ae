import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import type { OpenDatabase } from '../db/index.js';
import { jobs } from '../db/schema/index.js';
import { createManualClock, type ManualClock } from '../testing/manual-clock.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createJobQueue, type JobQueue } from './queue.js';

let database: OpenDatabase;
let clock: ManualClock;
let queue: JobQueue;

beforeAll(async () => {
  database = await openTestDatabase(loadConfig().database);
});
afterAll(() => database.close());
beforeEach(async () => {
  await database.db.delete(jobs);
  clock = createManualClock();
  queue = createJobQueue({ db: database.db, clock, backoff: { baseMs: 1_000, maxMs: 3_000 } });
});

const jobRow = async (id: string) => (await database.db.select().from(jobs).where(eq(jobs.id, id)))[0]!;

describe('job queue', () => {
  it('enqueues idempotently by key among active jobs, and again once the first is done', async () => {
    const first = await queue.enqueue(database.db, 'ingest', { n: 1 }, { key: 'doc-1' });
    const again = await queue.enqueue(database.db, 'ingest', { n: 2 }, { key: 'doc-1' });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    // The same key on another queue is another job.
    expect((await queue.enqueue(database.db, 'other', {}, { key: 'doc-1' })).created).toBe(true);

    const [claimed] = await queue.claim('ingest', 'w1', 10, 1_000);
    expect(claimed!.payload).toEqual({ n: 1 });
    // Running still counts as active.
    expect((await queue.enqueue(database.db, 'ingest', {}, { key: 'doc-1' })).created).toBe(false);
    expect(await queue.complete(claimed!.id, 'w1')).toBe(true);
    const next = await queue.enqueue(database.db, 'ingest', { n: 3 }, { key: 'doc-1' });
    expect(next.created).toBe(true);
    expect(next.id).not.toBe(first.id);
  });

  it("enqueues inside the caller's transaction: a rolled-back change leaves no job", async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await queue.enqueue(tx, 'ingest', {}, { key: 'doc-2' });
        throw new Error('the change that needed the job failed');
      }),
    ).rejects.toThrow('the change that needed the job failed');
    expect(await database.db.select().from(jobs)).toEqual([]);
  });

  it('claims only due jobs, at most the limit, oldest first, counting the attempt', async () => {
    const later = await queue.enqueue(database.db, 'ingest', {}, { runAt: new Date(clock.now().getTime() + 5_000) });
    const a = await queue.enqueue(database.db, 'ingest', { n: 'a' });
    clock.advance(1);
    const b = await queue.enqueue(database.db, 'ingest', { n: 'b' });
    clock.advance(1);
    await queue.enqueue(database.db, 'ingest', { n: 'c' });

    const claimed = await queue.claim('ingest', 'w1', 2, 1_000);
    expect(claimed.map((j) => j.id)).toEqual([a.id, b.id]);
    expect(claimed[0]).toMatchObject({ status: 'running', attempts: 1, lockedBy: 'w1' });
    expect(claimed[0]!.lockedUntil!.getTime()).toBe(clock.now().getTime() + 1_000);
    expect((await queue.claim('ingest', 'w2', 10, 1_000)).map((j) => j.payload)).toEqual([{ n: 'c' }]);
    expect(await queue.claim('ingest', 'w2', 10, 1_000)).toEqual([]);
    expect(await queue.claim('other', 'w2', 10, 1_000)).toEqual([]);

    clock.advance(5_000);
    expect((await queue.claim('ingest', 'w2', 10, 60_000)).map((j) => j.id)).toContain(later.id);
  });

  it('gives each job to exactly one of several workers claiming at the same time', async () => {
    const total = 60;
    for (let i = 0; i < total; i += 1) await queue.enqueue(database.db, 'ingest', { i });
    const claimedBy = new Map<string, string>();
    const workers = Array.from({ length: 6 }, (_, i) => `w${i}`);
    // Rounds of simultaneous claims (on Postgres each runs on its own pooled connection).
    for (let round = 0; round < 10 && claimedBy.size < total; round += 1) {
      const batches = await Promise.all(workers.map((w) => queue.claim('ingest', w, 4, 60_000)));
      batches.forEach((batch, i) => {
        for (const job of batch) {
          expect(claimedBy.has(job.id), `job ${job.id} claimed twice`).toBe(false);
          claimedBy.set(job.id, workers[i]!);
        }
      });
    }
    expect(claimedBy.size).toBe(total);
    const rows = await database.db.select().from(jobs);
    expect(rows.every((r) => r.attempts === 1 && r.lockedBy === claimedBy.get(r.id))).toBe(true);
  });

  it('reclaims a job whose lease ran out, and the first worker can no longer renew or complete it', async () => {
    const { id } = await queue.enqueue(database.db, 'ingest', {});
    await queue.claim('ingest', 'crashed', 1, 1_000);
    clock.advance(600);
    expect(await queue.renew(id, 'crashed', 1_000)).toBe(true);
    clock.advance(900);
    // Renewed at +600 until +1600: not yet expired at +1500.
    expect(await queue.claim('ingest', 'w2', 1, 1_000)).toEqual([]);
    clock.advance(101);
    const [reclaimed] = await queue.claim('ingest', 'w2', 1, 1_000);
    expect(reclaimed).toMatchObject({ id, attempts: 2, lockedBy: 'w2' });

    expect(await queue.renew(id, 'crashed', 1_000)).toBe(false);
    expect(await queue.complete(id, 'crashed')).toBe(false);
    expect(await queue.fail(id, 'crashed', { code: 'x', message: 'late' })).toBe('lost');
    expect(await queue.complete(id, 'w2')).toBe(true);
    expect(await jobRow(id)).toMatchObject({ status: 'done', lockedBy: null, lockedUntil: null, lastError: null });
  });

  it('retries a failed attempt after an exponential backoff, then marks it failed with its last error', async () => {
    const { id } = await queue.enqueue(database.db, 'ingest', {}, { maxAttempts: 4 });
    const expectedDelays = [1_000, 2_000, 3_000]; // base 1 s doubling, capped at 3 s
    for (const [i, delay] of expectedDelays.entries()) {
      const [job] = await queue.claim('ingest', 'w1', 1, 10_000);
      expect(job).toMatchObject({ id, attempts: i + 1 });
      expect(await queue.fail(id, 'w1', { code: 'document.embedding_failed', message: `attempt ${i + 1}` })).toBe(
        'retrying',
      );
      expect(await jobRow(id)).toMatchObject({
        status: 'queued',
        lockedBy: null,
        lastError: { code: 'document.embedding_failed', message: `attempt ${i + 1}` },
      });
      expect((await jobRow(id)).runAt.getTime()).toBe(clock.now().getTime() + delay);
      clock.advance(delay - 1);
      expect(await queue.claim('ingest', 'w1', 1, 10_000)).toEqual([]);
      clock.advance(1);
    }
    const [last] = await queue.claim('ingest', 'w1', 1, 10_000);
    expect(last!.attempts).toBe(4);
    expect(await queue.fail(id, 'w1', { code: 'document.internal', message: 'gave up' })).toBe('failed');
    expect(await jobRow(id)).toMatchObject({
      status: 'failed',
      attempts: 4,
      lastError: { code: 'document.internal', message: 'gave up' },
    });
    clock.advance(60_000);
    expect(await queue.claim('ingest', 'w1', 1, 10_000)).toEqual([]);
  });

  it('marks dead a job whose worker died on its last attempt, handing it to one reaper', async () => {
    const { id } = await queue.enqueue(database.db, 'ingest', {}, { maxAttempts: 1 });
    await queue.claim('ingest', 'crashed', 1, 1_000);
    expect(await queue.reapExpired('ingest')).toEqual([]);
    clock.advance(1_001);
    expect(await queue.claim('ingest', 'w2', 1, 1_000)).toEqual([]);
    const [reaped, again] = await Promise.all([queue.reapExpired('ingest'), queue.reapExpired('ingest')]);
    expect([...reaped, ...again].map((j) => j.id)).toEqual([id]);
    expect(await jobRow(id)).toMatchObject({
      status: 'failed',
      lastError: { code: 'job.lease_expired' },
      lockedBy: null,
    });
  });

  it('cancels the active job with a key, queued or running', async () => {
    const queued = await queue.enqueue(database.db, 'ingest', {}, { key: 'doc-q' });
    expect(await queue.cancelByKey(database.db, 'ingest', 'doc-q')).toBe(1);
    expect(await queue.cancelByKey(database.db, 'ingest', 'doc-q')).toBe(0);
    expect((await jobRow(queued.id)).status).toBe('cancelled');
    expect(await queue.claim('ingest', 'w1', 10, 1_000)).toEqual([]);

    const running = await queue.enqueue(database.db, 'ingest', {}, { key: 'doc-r' });
    await queue.claim('ingest', 'w1', 1, 1_000);
    expect(await queue.cancelByKey(database.db, 'ingest', 'doc-r')).toBe(1);
    expect(await queue.renew(running.id, 'w1', 1_000)).toBe(false);
    expect(await queue.complete(running.id, 'w1')).toBe(false);
    expect((await jobRow(running.id)).status).toBe('cancelled');
    // Cancelled is not active: the key is free again.
    expect((await queue.enqueue(database.db, 'ingest', {}, { key: 'doc-r' })).created).toBe(true);
  });
});
