import type { ToolView } from '@atrium/contracts';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/index.js';
import { toolCalls } from '../db/schema/index.js';

export type ToolCallRecord = typeof toolCalls.$inferInsert;

/** One line of statistics: a call the gate refused, drafted, ran (`result`) or saw fail. */
export async function recordToolCall(db: Database, record: ToolCallRecord): Promise<void> {
  await db.insert(toolCalls).values(record);
}

/**
 * Statistics per tool over every recorded call: `calls` counts calls that ran (`result` or
 * `failed`), `failures` those that failed, `p50Ms` their median duration in ms (null before the
 * first), `lastCalledAt` the latest call of any outcome. Tools never called are absent.
 */
export async function toolCallStats(db: Database): Promise<Map<string, ToolView['stats']>> {
  const rows = await queryRows<{
    tool: string;
    calls: number;
    failures: number;
    p50: number | null;
    last: Date | string | null;
  }>(
    db,
    sql`select tool,
               (count(*) filter (where outcome in ('result', 'failed')))::int as calls,
               (count(*) filter (where outcome = 'failed'))::int as failures,
               percentile_cont(0.5) within group (order by duration_ms) filter (where outcome in ('result', 'failed')) as p50,
               max(at) as last
        from tool_calls group by tool`,
  );
  return new Map(
    rows.map((r) => [
      r.tool,
      {
        calls: Number(r.calls),
        failures: Number(r.failures),
        p50Ms: r.p50 === null ? null : Math.round(Number(r.p50)),
        lastCalledAt: r.last === null ? null : new Date(r.last).toISOString(),
      },
    ]),
  );
}
