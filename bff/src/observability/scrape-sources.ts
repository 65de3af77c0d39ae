import { sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import { type Database, queryRows } from '../db/index.js';
import type { ScrapeSources } from './metrics.js';

/** Several Prometheus servers (or a fast scrape interval) share one query per this many ms. */
const cacheMs = 5_000;

function cached<T>(clock: Clock, read: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | null = null;
  return () => {
    const now = clock.now().getTime();
    if (!last || now - last.at >= cacheMs) {
      const value = read();
      last = { at: now, value };
      // A failed read is not cached: the next scrape tries again.
      value.catch(() => {
        if (last?.value === value) last = null;
      });
    }
    return last.value;
  };
}

/**
 * The scrape-time readings: open event streams from this instance's hub; job-queue depth,
 * pending approvals, the citation rate and the newest eval run's pass rate from the shared
 * tables (each cached for 5 s).
 */
export function scrapeSources(options: { db: Database; clock: Clock; openSseConnections(): number }): ScrapeSources {
  const { db, clock } = options;
  return {
    openSseConnections: options.openSseConnections,
    jobQueueDepth: cached(clock, async () => {
      const rows = await queryRows<{ queue: string; depth: number }>(
        db,
        sql`select queue, count(*)::int as depth from jobs where status in ('queued', 'running') group by queue`,
      );
      return Object.fromEntries(rows.map((r) => [r.queue, Number(r.depth)]));
    }),
    approvalsPending: cached(clock, async () => {
      const [row] = await queryRows<{ pending: number }>(
        db,
        sql`select count(*)::int as pending from drafts where status = 'pending'`,
      );
      return Number(row?.pending ?? 0);
    }),
    citationRate: cached(clock, async () => {
      const since = new Date(clock.now().getTime() - 24 * 3_600_000);
      const [row] = await queryRows<{ answers: number; cited: number }>(
        db,
        sql`select count(*)::int as answers,
                   (count(*) filter (where jsonb_array_length(coalesce(citations, '[]'::jsonb)) > 0))::int as cited
            from messages
            where role = 'assistant' and status = 'complete' and mode = 'llm' and updated_at >= ${since.toISOString()}::timestamptz`,
      );
      const answers = Number(row?.answers ?? 0);
      return answers === 0 ? null : Number(row?.cited ?? 0) / answers;
    }),
    // The newest run `pnpm eval` reported (POST /api/evals/runs); none yet: the gauge reads NaN.
    evalPassRate: cached(clock, async () => {
      const [row] = await queryRows<{ passed: number; total: number }>(
        db,
        sql`select passed, total from eval_runs order by at desc limit 1`,
      );
      return row && Number(row.total) > 0 ? Number(row.passed) / Number(row.total) : null;
    }),
  };
}
