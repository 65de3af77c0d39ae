import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { JobRow } from '../db/schema/index.js';
import type { Logger } from '../logger.js';
import type { ClaimedJob, JobError, JobQueue } from './queue.js';

export interface JobContext {
  /**
   * Aborted when this worker no longer holds the job (its lease was lost: expired and
   * reclaimed, or the job was cancelled) or when the worker stops without waiting for it.
   * Whatever the handler does after that is ignored: it should stop without writing.
   */
  signal: AbortSignal;
}

export interface JobHandler<P = Record<string, unknown>> {
  /** Does the job. Returning completes it; throwing fails this attempt (retried with backoff, then dead). */
  run(job: ClaimedJob<P>, context: JobContext): Promise<void>;
  /**
   * Called once when the job is dead: its last attempt threw, or the worker running its last
   * attempt died. The place to record the failure where people see it.
   */
  onDead?(job: ClaimedJob<P> | JobRow, error: JobError): Promise<void>;
}

export interface WorkerOptions {
  queue: JobQueue;
  /** One handler per queue name. */
  // biome-ignore lint/suspicious/noExplicitAny: each handler narrows its own payload type.
  handlers: Record<string, JobHandler<any>>;
  logger: Logger;
  /** Jobs this worker runs at once, across its queues. */
  concurrency: number;
  /** Unique per process; default `<host>:<pid>:<random>`. */
  workerId?: string;
  /** How long a claim holds a job without renewal, in ms; renewed every third of it. Default 60 s. */
  leaseMs?: number;
  /** Wait after a poll that claimed a job, in ms. Default 1 s; `wake()` polls at once. */
  pollMs?: number;
  /**
   * The longest wait between polls, in ms, reached by doubling `pollMs` after each poll that
   * found nothing with nothing running. Default 4 × `pollMs` (4 s). A job enqueued in this
   * process wakes the worker at once; one enqueued by another process, or coming due (a retry's
   * backoff, a draft's expiry), is picked up within this long.
   */
  idlePollMs?: number;
}

/** `WorkerOptions.idlePollMs` is this many `pollMs` by default: an idle worker polls every 4 s instead of every 1 s. */
export const idleBackoff = 4;

/**
 * The wait before the next poll: `pollMs` after a poll that claimed something or while jobs
 * run, otherwise twice the last wait, at most `maxMs`. Each idle poll is a reap and a claim per
 * queue (8 statements for 4 queues), ~10 ms of CPU a second per BFF here (issue 12); backing off
 * cuts that to a quarter while nothing is queued.
 */
export function nextPollWait(last: number, busy: boolean, pollMs: number, maxMs: number): number {
  return busy ? pollMs : Math.min(Math.max(last * 2, pollMs), Math.max(maxMs, pollMs));
}

export interface Worker {
  readonly workerId: string;
  /** Jobs running now. */
  readonly running: number;
  /** Polls every `pollMs` until `stop()`. */
  start(): void;
  /** Polls now (after an enqueue in this process, say) instead of at the next interval. */
  wake(): void;
  /** One poll: claims due jobs up to the free slots and resolves when those jobs have finished; returns how many ran. */
  runOnce(): Promise<number>;
  /**
   * Stops polling and waits up to `graceMs` (default 30 s) for running jobs. Jobs still
   * running then are abandoned: their signal is aborted, their results ignored, and their
   * lease runs out so another worker claims them again.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

interface Running {
  done: Promise<void>;
  controller: AbortController;
}

/**
 * Runs queue handlers with a concurrency limit, renewing each job's lease while it runs, and
 * reaping jobs whose worker died on their last attempt. The same code runs in the BFF process
 * (`ATRIUM_WORKER=inline`) and in the separate worker entry (worker-main.ts).
 */
export function createWorker(options: WorkerOptions): Worker {
  const { queue, handlers, logger, concurrency } = options;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 1_000;
  const maxPollMs = options.idlePollMs ?? pollMs * idleBackoff;
  /** The wait before the next poll; 0 until the first poll. */
  let wait = 0;
  const running = new Map<string, Running>();
  let stopping = false;
  let abandoned = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  /** A wake-up that came while polling: the next sleep is skipped, so it is never lost. */
  let woken = false;
  const wakeNow = () => {
    woken = true;
    wait = 0; // back to `pollMs` after this poll
    wakeUp?.();
  };

  const errorOf = (error: unknown): JobError => {
    const code = (error as { code?: unknown } | null)?.code;
    return {
      code: typeof code === 'string' ? code : 'job.failed',
      message: error instanceof Error ? error.message : String(error),
    };
  };

  const reportDead = async (name: string, job: ClaimedJob | JobRow, error: JobError) => {
    logger.warn('job dead', { queue: name, jobId: job.id, attempts: job.attempts, error });
    try {
      await handlers[name]!.onDead?.(job, error);
    } catch (failure) {
      logger.error('job dead handler failed', { queue: name, jobId: job.id, error: errorOf(failure).message });
    }
  };

  const execute = (name: string, job: ClaimedJob): Running => {
    const controller = new AbortController();
    const renewal = setInterval(
      () => {
        queue.renew(job.id, workerId, leaseMs).then(
          (held) => {
            if (!held) controller.abort(new Error('job lease lost'));
          },
          (error: unknown) => logger.warn('job lease renewal failed', { jobId: job.id, error: errorOf(error).message }),
        );
      },
      Math.max(10, Math.floor(leaseMs / 3)),
    );
    // Lost or abandoned: stop renewing, so the lease runs out and another worker can take the job.
    controller.signal.addEventListener('abort', () => clearInterval(renewal));
    const run = async () => {
      let outcome: { ok: true } | { ok: false; error: JobError };
      try {
        await handlers[name]!.run(job, { signal: controller.signal });
        outcome = { ok: true };
      } catch (error) {
        outcome = { ok: false, error: errorOf(error) };
      } finally {
        clearInterval(renewal);
      }
      // Lost or abandoned: another worker owns the job now (or will), so this result is not ours to write.
      if (controller.signal.aborted || abandoned) return;
      if (outcome.ok) {
        await queue.complete(job.id, workerId);
        return;
      }
      logger.warn('job attempt failed', { queue: name, jobId: job.id, attempt: job.attempts, error: outcome.error });
      if ((await queue.fail(job.id, workerId, outcome.error)) === 'failed') {
        await reportDead(name, job, outcome.error);
      }
    };
    const done = run()
      .catch((error: unknown) =>
        logger.error('job bookkeeping failed', { jobId: job.id, error: errorOf(error).message }),
      )
      .finally(() => {
        running.delete(job.id);
        wakeNow();
      });
    return { done, controller };
  };

  /** Claims into the free slots; returns the jobs started. */
  const poll = async (): Promise<Running[]> => {
    const started: Running[] = [];
    for (const name of Object.keys(handlers)) {
      if (stopping) break;
      for (const dead of await queue.reapExpired(name)) {
        await reportDead(name, dead, dead.lastError ?? { code: 'job.lease_expired', message: 'The worker stopped.' });
      }
      const free = concurrency - running.size;
      if (free <= 0) break;
      for (const job of await queue.claim(name, workerId, free, leaseMs)) {
        const entry = execute(name, job);
        running.set(job.id, entry);
        started.push(entry);
      }
    }
    return started;
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken) {
        woken = false;
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        wakeUp = null;
        resolve();
      }, ms);
      wakeUp = () => {
        clearTimeout(timer);
        wakeUp = null;
        woken = false;
        resolve();
      };
    });

  return {
    workerId,
    get running() {
      return running.size;
    },
    start() {
      if (loop) return;
      loop = (async () => {
        while (!stopping) {
          let claimed = 0;
          try {
            claimed = (await poll()).length;
          } catch (error) {
            logger.warn('job poll failed', { error: errorOf(error).message });
          }
          wait = nextPollWait(wait, claimed > 0 || running.size > 0, pollMs, maxPollMs);
          if (!stopping) await sleep(wait);
        }
      })();
    },
    wake() {
      wakeNow();
    },
    async runOnce() {
      const started = await poll();
      await Promise.all(started.map((r) => r.done));
      return started.length;
    },
    async stop({ graceMs = 30_000 } = {}) {
      stopping = true;
      wakeNow();
      await loop;
      const all = Promise.all([...running.values()].map((r) => r.done));
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), graceMs);
      });
      const result = await Promise.race([all.then(() => 'done' as const), graceOver]);
      clearTimeout(timer);
      if (result === 'timeout') {
        abandoned = true;
        logger.warn('worker stopped with jobs running; their leases will expire', {
          workerId,
          jobs: [...running.keys()],
        });
        for (const r of running.values()) r.controller.abort(new Error('worker stopping'));
      }
    },
  };
}
