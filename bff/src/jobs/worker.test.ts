import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config.js';
import type { OpenDatabase } from '../db/index.js';
import { jobs } from '../db/schema/index.js';
import { createLogger } from '../logger.js';
import { createManualClock, type ManualClock } from '../testing/manual-clock.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createJobQueue, type JobError, type JobQueue } from './queue.js';
import { createWorker, idleBackoff, type JobHandler, nextPollWait } from './worker.js';

let database: OpenDatabase;
let clock: ManualClock;
let queue: JobQueue;
const logger = createLogger('silent');

beforeAll(async () => {
  database = await openTestDatabase(loadConfig().database);
});
afterAll(() => database.close());
beforeEach(async () => {
  await database.db.delete(jobs);
  clock = createManualClock();
  queue = createJobQueue({ db: database.db, clock, backoff: { baseMs: 1_000, maxMs: 1_000 } });
});

const jobRow = async (id: string) => (await database.db.select().from(jobs).where(eq(jobs.id, id)))[0]!;

/** A promise the test settles by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('worker', () => {
  it('runs at most `concurrency` jobs at once and completes each', async () => {
    const gates = new Map<number, ReturnType<typeof gate>>();
    const started: number[] = [];
    let inFlight = 0;
    let mostAtOnce = 0;
    const handler: JobHandler<{ n: number }> = {
      async run(job) {
        inFlight += 1;
        mostAtOnce = Math.max(mostAtOnce, inFlight);
        started.push(job.payload.n);
        await gates.get(job.payload.n)!.opened;
        inFlight -= 1;
      },
    };
    const ids: string[] = [];
    for (let n = 0; n < 5; n += 1) {
      gates.set(n, gate());
      ids.push((await queue.enqueue(database.db, 'ingest', { n })).id);
      clock.advance(1);
    }
    const worker = createWorker({ queue, handlers: { ingest: handler }, logger, concurrency: 2, pollMs: 5 });
    worker.start();
    await vi.waitFor(() => expect(started).toEqual([0, 1]));
    for (let n = 0; n < 5; n += 1) {
      gates.get(n)!.open();
      await vi.waitFor(() => expect(started.length).toBe(Math.min(5, n + 3)));
    }
    await vi.waitFor(async () => expect((await jobRow(ids[4]!)).status).toBe('done'));
    await worker.stop();
    expect(mostAtOnce).toBe(2);
    expect((await database.db.select().from(jobs)).every((j) => j.status === 'done')).toBe(true);
  });

  it('retries a throwing handler with backoff and reports the job dead once, with its last error', async () => {
    const dead: JobError[] = [];
    let calls = 0;
    const handler: JobHandler = {
      async run() {
        calls += 1;
        throw Object.assign(new Error(`provider down (${calls})`), { code: 'document.embedding_failed' });
      },
      async onDead(_job, error) {
        dead.push(error);
      },
    };
    const { id } = await queue.enqueue(database.db, 'ingest', {}, { maxAttempts: 2 });
    const worker = createWorker({ queue, handlers: { ingest: handler }, logger, concurrency: 1 });
    expect(await worker.runOnce()).toBe(1);
    expect(await jobRow(id)).toMatchObject({ status: 'queued', attempts: 1 });
    expect(await worker.runOnce()).toBe(0); // backing off
    clock.advance(1_000);
    expect(await worker.runOnce()).toBe(1);
    expect(await jobRow(id)).toMatchObject({
      status: 'failed',
      attempts: 2,
      lastError: { code: 'document.embedding_failed', message: 'provider down (2)' },
    });
    expect(dead).toEqual([{ code: 'document.embedding_failed', message: 'provider down (2)' }]);
  });

  it('renews the lease of a long job, and aborts the handler once the lease is lost', async () => {
    const release = gate();
    let signal: AbortSignal | undefined;
    const handler: JobHandler = {
      async run(_job, context) {
        signal = context.signal;
        await release.opened;
      },
    };
    const { id } = await queue.enqueue(database.db, 'ingest', {}, { key: 'doc' });
    const worker = createWorker({ queue, handlers: { ingest: handler }, logger, concurrency: 1, leaseMs: 60 });
    const finished = worker.runOnce();
    await vi.waitFor(() => expect(signal).toBeDefined());
    clock.advance(50);
    // Renewed (every 20 ms of real time) from the moved clock: the lease now ends 60 ms after it.
    await vi.waitFor(async () => expect((await jobRow(id)).lockedUntil!.getTime()).toBe(clock.now().getTime() + 60));
    expect(signal!.aborted).toBe(false);

    await queue.cancelByKey(database.db, 'ingest', 'doc');
    await vi.waitFor(() => expect(signal!.aborted).toBe(true));
    release.open();
    await finished;
    // The cancelled job stays cancelled: the worker wrote nothing after losing it.
    expect((await jobRow(id)).status).toBe('cancelled');
  });

  it('polls at once when woken, instead of waiting for the interval', async () => {
    const ran: string[] = [];
    let polls = 0;
    const counted: JobQueue = {
      ...queue,
      claim: async (...args) => {
        const claimed = await queue.claim(...args);
        polls += 1;
        return claimed;
      },
    };
    const worker = createWorker({
      queue: counted,
      handlers: { ingest: { run: async (job) => void ran.push(job.id) } },
      logger,
      concurrency: 1,
      pollMs: 3_600_000,
    });
    worker.start();
    await vi.waitFor(() => expect(polls).toBe(1)); // the first poll found nothing; next one in an hour
    const { id } = await queue.enqueue(database.db, 'ingest', {});
    worker.wake();
    await vi.waitFor(() => expect(ran).toEqual([id]));
    await worker.stop();
  });

  it('backs off while idle, doubling the wait from pollMs up to idlePollMs, and returns to pollMs when busy', () => {
    const waits: number[] = [];
    let wait = 0;
    for (let poll = 0; poll < 5; poll++) {
      wait = nextPollWait(wait, false, 1_000, 1_000 * idleBackoff);
      waits.push(wait);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 4_000, 4_000]);
    expect(nextPollWait(4_000, true, 1_000, 1_000 * idleBackoff)).toBe(1_000);
    expect(nextPollWait(0, false, 5_000, 1_000)).toBe(5_000); // a max below pollMs never polls faster
  });

  it('stops after waiting for running jobs', async () => {
    const release = gate();
    let ran = false;
    const handler: JobHandler = {
      async run() {
        await release.opened;
        ran = true;
      },
    };
    const { id } = await queue.enqueue(database.db, 'ingest', {});
    const worker = createWorker({ queue, handlers: { ingest: handler }, logger, concurrency: 1, pollMs: 5 });
    worker.start();
    await vi.waitFor(() => expect(worker.running).toBe(1));
    const stopped = worker.stop({ graceMs: 60_000 });
    release.open();
    await stopped;
    expect(ran).toBe(true);
    expect((await jobRow(id)).status).toBe('done');
  });

  it('abandons jobs still running after the grace period to lease expiry, and another worker finishes them', async () => {
    const never = gate();
    let abortedOnStop = false;
    const stuck: JobHandler = {
      async run(_job, context) {
        context.signal.addEventListener('abort', () => {
          abortedOnStop = true;
        });
        await never.opened;
      },
    };
    const { id } = await queue.enqueue(database.db, 'ingest', {});
    const first = createWorker({ queue, handlers: { ingest: stuck }, logger, concurrency: 1, leaseMs: 1_000 });
    void first.runOnce();
    await vi.waitFor(() => expect(first.running).toBe(1));
    await first.stop({ graceMs: 0 });
    expect(abortedOnStop).toBe(true);
    expect(await jobRow(id)).toMatchObject({ status: 'running', lockedBy: first.workerId });

    let finishedBy: string | null = null;
    const second = createWorker({
      queue,
      handlers: {
        ingest: {
          run: async (job) => {
            finishedBy = `attempt ${job.attempts}`;
          },
        },
      },
      logger,
      concurrency: 1,
      leaseMs: 1_000,
    });
    expect(await second.runOnce()).toBe(0);
    clock.advance(1_001);
    expect(await second.runOnce()).toBe(1);
    expect(finishedBy).toBe('attempt 2');
    expect((await jobRow(id)).status).toBe('done');
    // The abandoned handler ending late writes nothing.
    never.open();
    await new Promise((resolve) => setImmediate(resolve));
    expect((await jobRow(id)).status).toBe('done');
  });

  it('reports dead a job whose worker died on its last attempt', async () => {
    const dead: { id: string; error: JobError }[] = [];
    const { id } = await queue.enqueue(database.db, 'ingest', {}, { maxAttempts: 1 });
    await queue.claim('ingest', 'died', 1, 1_000);
    clock.advance(1_001);
    const worker = createWorker({
      queue,
      handlers: {
        ingest: {
          run: async () => {
            throw new Error('must not run again');
          },
          onDead: async (job, error) => void dead.push({ id: job.id, error }),
        },
      },
      logger,
      concurrency: 1,
    });
    expect(await worker.runOnce()).toBe(0);
    expect(dead).toEqual([{ id, error: expect.objectContaining({ code: 'job.lease_expired' }) }]);
    expect(await worker.runOnce()).toBe(0);
    expect(dead).toHaveLength(1);
  });
});
