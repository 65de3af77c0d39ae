import {
  type ApprovalsResponse,
  type DashboardQuery,
  dashboardBucketMs,
  dashboardMaxPoints,
  type EvalRun,
  type LatencyPoint,
  type RemoteLoadFailure,
  type RemoteLoadPoint,
  requestLatencyBoundsMs,
} from '@atrium/contracts';
import { and, asc, count, desc, eq, gte, lt, ne, sql } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { clientReports, drafts, type EvalRunRow, evalRuns, releases, requestRollups } from '../db/schema/index.js';
import { AppError } from '../errors.js';

/** Parses and bounds a dashboard range: 400 `request.invalid` when `to` ≤ `from` or it spans more than 500 buckets. */
export function dashboardRange(query: DashboardQuery): { from: Date; to: Date } {
  const from = new Date(query.from);
  const to = new Date(query.to);
  if (to <= from) throw new AppError('request.invalid', 400, '`to` must be after `from` (it is exclusive).');
  const points = Math.ceil((to.getTime() - from.getTime()) / dashboardBucketMs[query.bucket]);
  if (points > dashboardMaxPoints) {
    throw new AppError(
      'request.invalid',
      400,
      `At most ${dashboardMaxPoints} points per chart: choose a shorter range or a larger bucket.`,
    );
  }
  return { from, to };
}

/** `2030-01-01T09:00:00Z`: the bucket's start, truncated in UTC. */
const bucketStart = (unit: DashboardQuery['bucket'], column: unknown) =>
  sql<string>`to_char(date_trunc(${sql.raw(`'${unit}'`)}, ${column} at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/**
 * The latency at quantile `q` (0–1) of a histogram over requestLatencyBoundsMs (the last bucket
 * counts requests above every bound, reported as the top bound), interpolated linearly within
 * its bucket as Prometheus' histogram_quantile does. 0 for an empty histogram.
 */
export function quantileOf(buckets: readonly number[], q: number): number {
  const total = buckets.reduce((sum, n) => sum + n, 0);
  if (total === 0) return 0;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    const n = buckets[i] ?? 0;
    if (n > 0 && seen + n >= rank) {
      const upper = requestLatencyBoundsMs[i];
      if (upper === undefined) return requestLatencyBoundsMs[requestLatencyBoundsMs.length - 1]!;
      const lower = i === 0 ? 0 : requestLatencyBoundsMs[i - 1]!;
      return lower + ((upper - lower) * (rank - seen)) / n;
    }
    seen += n;
  }
  return requestLatencyBoundsMs[requestLatencyBoundsMs.length - 1]!;
}

/** Request count, 5xx count and p50/p95 latency per bucket, over every instance's rollups. */
export async function latencySeries(db: Database, query: DashboardQuery): Promise<LatencyPoint[]> {
  const { from, to } = dashboardRange(query);
  const bucket = bucketStart(query.bucket, requestRollups.minute);
  const inRange = and(gte(requestRollups.minute, from), lt(requestRollups.minute, to));
  const totals = await db
    .select({
      bucketStart: bucket,
      count: sql<number>`sum(${requestRollups.count})::float8`.mapWith(Number),
      errors:
        sql<number>`coalesce(sum(${requestRollups.count}) filter (where ${requestRollups.statusClass} = '5xx'), 0)::float8`.mapWith(
          Number,
        ),
    })
    .from(requestRollups)
    .where(inRange)
    .groupBy(sql`1`)
    .orderBy(sql`1`);
  const histogram = await db
    .select({
      bucketStart: bucket,
      index: sql<number>`u.i::int`.mapWith(Number),
      n: sql<number>`sum(u.n)::float8`.mapWith(Number),
    })
    .from(sql`${requestRollups}, unnest(${requestRollups.buckets}) with ordinality as u(n, i)`)
    .where(inRange)
    .groupBy(sql`1`, sql`2`);
  const byBucket = new Map<string, number[]>();
  for (const row of histogram) {
    const counts = byBucket.get(row.bucketStart) ?? new Array<number>(requestLatencyBoundsMs.length + 1).fill(0);
    counts[row.index - 1] = row.n;
    byBucket.set(row.bucketStart, counts);
  }
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return totals.map((row) => {
    const counts = byBucket.get(row.bucketStart) ?? [];
    return { ...row, p50Ms: round(quantileOf(counts, 0.5)), p95Ms: round(quantileOf(counts, 0.95)) };
  });
}

/**
 * Remote loads and failures (any outcome but `ok`) per bucket, remote and version, each version
 * labelled with what the registry serves it as now (stable, canary, other); and the newest 50
 * failed loads with the browser's error detail.
 */
export async function remoteLoadSeries(
  db: Database,
  query: DashboardQuery,
): Promise<{ points: RemoteLoadPoint[]; failures: RemoteLoadFailure[] }> {
  const { from, to } = dashboardRange(query);
  const loadsIn = and(eq(clientReports.kind, 'load'), gte(clientReports.at, from), lt(clientReports.at, to));
  const channel = sql<
    RemoteLoadPoint['channel']
  >`case when ${clientReports.version} = min(${releases.stable}) then 'stable' when ${clientReports.version} = min(${releases.canary}) then 'canary' else 'other' end`;
  const points = await db
    .select({
      bucketStart: bucketStart(query.bucket, clientReports.at),
      remote: sql<string>`${clientReports.remote}`,
      version: sql<string>`${clientReports.version}`,
      channel,
      loads: sql<number>`count(*)::int`.mapWith(Number),
      failures: sql<number>`(count(*) filter (where ${clientReports.outcome} <> 'ok'))::int`.mapWith(Number),
    })
    .from(clientReports)
    .leftJoin(releases, eq(releases.remote, clientReports.remote))
    .where(loadsIn)
    .groupBy(sql`1`, clientReports.remote, clientReports.version)
    .orderBy(sql`1`, clientReports.remote, clientReports.version);
  const failed = await db
    .select({
      at: clientReports.at,
      remote: clientReports.remote,
      version: clientReports.version,
      outcome: clientReports.outcome,
      ms: clientReports.ms,
      detail: sql<string | null>`${clientReports.detail}->>'detail'`,
    })
    .from(clientReports)
    .where(and(loadsIn, ne(clientReports.outcome, 'ok')))
    .orderBy(desc(clientReports.at), desc(clientReports.id))
    .limit(50);
  return {
    points,
    failures: failed.map((row) => ({
      at: row.at.toISOString(),
      remote: row.remote ?? '',
      version: row.version ?? '',
      outcome: row.outcome ?? '',
      ms: row.ms,
      detail: row.detail,
    })),
  };
}

const ageLabels = [
  { label: 'lt_1h', below: 3_600 },
  { label: '1h_4h', below: 4 * 3_600 },
  { label: '4h_24h', below: 24 * 3_600 },
  { label: 'gt_24h', below: Number.POSITIVE_INFINITY },
] as const;

/** Drafts pending now: how many, the 100 oldest with their age, and counts by age band. */
export async function approvalsNow(db: Database, now: Date): Promise<ApprovalsResponse> {
  const pendingNow = eq(drafts.status, 'pending');
  const [total] = await db.select({ n: count() }).from(drafts).where(pendingNow);
  const created = await db.select({ at: drafts.createdAt }).from(drafts).where(pendingNow);
  const ages = created.map(({ at }) => (now.getTime() - at.getTime()) / 1000);
  const oldest = await db
    .select({ id: drafts.id, tool: drafts.tool, risk: drafts.risk, createdAt: drafts.createdAt })
    .from(drafts)
    .where(pendingNow)
    .orderBy(asc(drafts.createdAt))
    .limit(100);
  return {
    pending: total?.n ?? 0,
    oldest: oldest.map((row) => ({
      ...row,
      createdAt: row.createdAt.toISOString(),
      ageSeconds: Math.max(0, Math.floor((now.getTime() - row.createdAt.getTime()) / 1000)),
    })),
    byAge: ageLabels.map(({ label, below }, i) => {
      const above = i === 0 ? Number.NEGATIVE_INFINITY : ageLabels[i - 1]!.below;
      return { label, count: ages.filter((age) => age >= above && age < below).length };
    }),
  };
}

export const toEvalRun = (row: EvalRunRow): EvalRun => ({
  id: row.id,
  name: row.name,
  passed: row.passed,
  total: row.total,
  passRate: row.total === 0 ? 0 : row.passed / row.total,
  at: row.at.toISOString(),
});

export async function listEvalRuns(db: Database, limit: number): Promise<EvalRun[]> {
  const rows = await db.select().from(evalRuns).orderBy(desc(evalRuns.at), desc(evalRuns.id)).limit(limit);
  return rows.map(toEvalRun);
}
