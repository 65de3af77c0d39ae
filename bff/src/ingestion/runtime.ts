import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/index.js';
import { createDocumentStore, type DocumentStore } from '../documents/store.js';
import { createJobQueue, type JobQueue } from '../jobs/queue.js';
import { createWorker, type JobHandler, type Worker } from '../jobs/worker.js';
import type { Logger } from '../logger.js';
import type { Bus } from '../realtime/bus.js';
import { type EmbedChunks, ingestJobHandler, ingestQueue } from './pipeline.js';

/** The document store, the job queue and the worker that ingests, wired once for the BFF and the worker entry. */
export interface Ingestion {
  store: DocumentStore;
  queue: JobQueue;
  worker: Worker;
  /** Stops the worker, waiting up to `graceMs` for running jobs (the rest are picked up after their lease). */
  close(graceMs?: number): Promise<void>;
}

/** A job's lease: long enough for a large PDF's slowest page, short enough that a crash is noticed within a minute. */
const leaseMs = 60_000;

/**
 * Wires ingestion from config. The caller starts the worker: the BFF when `ATRIUM_WORKER=inline`
 * (assemble.ts), the worker process always (worker-main.ts). Status events go through `bus`,
 * so with Redis every BFF instance hears a separate worker's progress.
 */
export function createIngestion(options: {
  config: Config;
  db: Database;
  bus: Bus;
  clock: Clock;
  logger: Logger;
  /** The embedding port; unset or null: no embedding model, documents skip the embedding step (full-text only). */
  embed?: EmbedChunks | null;
  pollMs?: number;
  /**
   * Further queues the same worker runs, by queue name (`answer.continue`, `draft.execute`), so
   * every job of the BFF and of worker-main.ts goes through one worker and one concurrency limit.
   */
  // biome-ignore lint/suspicious/noExplicitAny: each handler narrows its own payload type.
  handlers?: Record<string, JobHandler<any>>;
}): Ingestion {
  const { config, db, bus, clock, logger } = options;
  const store = createDocumentStore({ dir: config.documents.dir });
  const queue = createJobQueue({ db, clock });
  const handler = ingestJobHandler({
    db,
    bus,
    clock,
    logger,
    store,
    embed: options.embed ?? null,
    maxPages: config.documents.pdfMaxPages,
  });
  const worker = createWorker({
    queue,
    handlers: { ...options.handlers, [ingestQueue]: handler },
    logger,
    concurrency: config.worker.ingestConcurrency,
    leaseMs,
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
  });
  return { store, queue, worker, close: (graceMs = 5_000) => worker.stop({ graceMs }) };
}
