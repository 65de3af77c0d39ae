import { requestLatencyBoundsMs } from '@atrium/contracts';
import { sql } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import type { Clock } from '../clock.js';
import type { Database } from '../db/index.js';
import { requestRollups } from '../db/schema/index.js';
import type { AppEnv } from '../env.js';
import type { Logger } from '../logger.js';

/** How often an instance adds its batched counts to `request_rollups` (and once more on close). */
export const requestRollupFlushMs = 10_000;

interface Cell {
  minute: Date;
  route: string;
  method: string;
  statusClass: string;
  count: number;
  sumMs: number;
  buckets: number[];
}

/**
 * Per-minute request counts and latency histograms shared by every BFF instance (issue 11, ops
 * dashboards): `record` adds to an in-memory batch; `flush` adds the batch to `request_rollups`
 * with one upsert that sums counts and histogram buckets, so any number of instances add up.
 * A failed flush keeps its cells for the next one (logged). Bounds: contracts' requestLatencyBoundsMs.
 */
export interface RequestRollup {
  record(entry: { route: string; method: string; status: number; ms: number }): void;
  flush(): Promise<void>;
  /** Stops the timer and flushes what is left. */
  close(): Promise<void>;
}

export const latencyBucketOf = (ms: number): number => {
  const index = requestLatencyBoundsMs.findIndex((bound) => ms <= bound);
  return index === -1 ? requestLatencyBoundsMs.length : index;
};

export function createRequestRollup(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** 0: no timer (tests flush by hand). */
  flushMs?: number;
}): RequestRollup {
  let cells = new Map<string, Cell>();
  let flushing: Promise<void> = Promise.resolve();

  const flushOnce = async () => {
    if (cells.size === 0) return;
    const batch = [...cells.values()];
    cells = new Map();
    try {
      await deps.db
        .insert(requestRollups)
        .values(batch)
        .onConflictDoUpdate({
          target: [requestRollups.minute, requestRollups.route, requestRollups.method, requestRollups.statusClass],
          set: {
            count: sql`${requestRollups.count} + excluded.count`,
            sumMs: sql`${requestRollups.sumMs} + excluded.sum_ms`,
            buckets: sql`array(select coalesce(a, 0) + coalesce(b, 0) from unnest(${requestRollups.buckets}, excluded.buckets) with ordinality as u(a, b, i) order by i)`,
          },
        });
    } catch (error) {
      deps.logger.warn('request rollup flush failed; kept for the next one', {
        error: error instanceof Error ? error.message : String(error),
      });
      for (const cell of batch) add(cell);
    }
  };

  const add = (cell: Cell) => {
    const key = `${cell.minute.getTime()} ${cell.method} ${cell.statusClass} ${cell.route}`;
    const existing = cells.get(key);
    if (!existing) {
      cells.set(key, { ...cell, buckets: [...cell.buckets] });
      return;
    }
    existing.count += cell.count;
    existing.sumMs += cell.sumMs;
    cell.buckets.forEach((n, i) => {
      existing.buckets[i] = (existing.buckets[i] ?? 0) + n;
    });
  };

  const flush = () => {
    flushing = flushing.then(flushOnce);
    return flushing;
  };
  const timer = deps.flushMs === 0 ? null : setInterval(() => void flush(), deps.flushMs ?? requestRollupFlushMs);
  timer?.unref();

  return {
    record: ({ route, method, status, ms }) => {
      const at = deps.clock.now().getTime();
      const buckets = new Array<number>(requestLatencyBoundsMs.length + 1).fill(0);
      buckets[latencyBucketOf(ms)] = 1;
      add({
        minute: new Date(at - (at % 60_000)),
        route,
        method,
        statusClass: `${Math.floor(status / 100)}xx`,
        count: 1,
        sumMs: ms,
        buckets,
      });
    },
    flush,
    close: async () => {
      if (timer) clearInterval(timer);
      await flush();
    },
  };
}

/**
 * Records every `/api/*` request's route pattern (`/api/chats/:id`, never the raw path, so the
 * rows stay few), method, status class and time to the response, into the shared rollup.
 */
export const requestRollupMiddleware = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!c.req.path.startsWith('/api/')) return next();
    const started = performance.now();
    try {
      await next();
    } finally {
      c.get('deps').requestRollup.record({
        route: routePath(c) || '(unmatched)',
        method: c.req.method,
        status: c.res.status,
        ms: performance.now() - started,
      });
    }
  });
