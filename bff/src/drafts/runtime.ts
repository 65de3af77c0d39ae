import type { Clock } from '../clock.js';
import type { Database } from '../db/index.js';
import { createJobQueue } from '../jobs/queue.js';
import type { JobHandler } from '../jobs/worker.js';
import type { Logger } from '../logger.js';
import type { Bus } from '../realtime/bus.js';
import type { DraftProposer } from '../tools/tool.js';
import { executeJobHandler, type ToolLookup } from './execute.js';
import { expireJobHandler } from './expiry.js';
import { createDraftProposer } from './proposer.js';
import { type DraftDeps, executeQueue, expireQueue } from './settle.js';

/** Drafts wired once: what the gate proposes through, what routes decide with, and the worker's two job handlers. */
export interface Drafts {
  proposer: DraftProposer;
  deps: DraftDeps;
  // biome-ignore lint/suspicious/noExplicitAny: each handler narrows its own payload type.
  jobHandlers: Record<string, JobHandler<any>>;
}

/**
 * Wires drafts on the shared job queue (table `jobs`). `tools` finds a draft's tool at execution
 * (the gate's `get`); `wakeWorker` polls an in-process worker after an enqueue (a no-op when the
 * worker runs elsewhere); `ttlMs` is `ATRIUM_DRAFT_TTL_MS`.
 */
export function createDrafts(options: {
  db: Database;
  bus: Bus;
  clock: Clock;
  logger: Logger;
  ttlMs: number;
  /** `ATRIUM_DRAFT_MAX_PENDING`: pending drafts per requester (default 20). */
  maxPending?: number;
  tools: ToolLookup;
  wakeWorker(): void;
}): Drafts {
  const { db, bus, clock, logger } = options;
  const deps: DraftDeps = {
    db,
    bus,
    clock,
    queue: createJobQueue({ db, clock }),
    wakeWorker: () => options.wakeWorker(),
  };
  return {
    proposer: createDraftProposer({ ...deps, ttlMs: options.ttlMs, maxPending: options.maxPending ?? 20 }),
    deps,
    jobHandlers: {
      [executeQueue]: executeJobHandler({ ...deps, tools: options.tools, logger }),
      [expireQueue]: expireJobHandler(deps),
    },
  };
}
