import { z } from 'zod';

/**
 * Ops dashboards (issue 11, admin remote `/admin/dashboards`, permission `dashboards:read`).
 * Every series takes `from`/`to` (ISO instants, `to` exclusive) and a `bucket`; a query of more
 * than `dashboardMaxPoints` buckets, or with `to` not after `from`, is refused 400 `request.invalid`.
 */
export const dashboardBuckets = ['minute', 'hour', 'day'] as const;
export const dashboardBucketSchema = z.enum(dashboardBuckets);
export type DashboardBucket = z.infer<typeof dashboardBucketSchema>;
export const dashboardBucketMs: Record<DashboardBucket, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
export const dashboardMaxPoints = 500;

export const dashboardQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  bucket: dashboardBucketSchema.default('hour'),
});
export type DashboardQuery = z.infer<typeof dashboardQuerySchema>;

/** Latency upper bounds (ms) of the request histogram's buckets; one more bucket counts the slower ones. */
export const requestLatencyBoundsMs = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;

/** `GET /api/dashboards/latency`: every API request of every instance, per bucket. */
export const latencyPointSchema = z.object({
  bucketStart: z.string(),
  count: z.number().int(),
  /** Estimated from the histogram buckets (linear within a bucket), in ms. */
  p50Ms: z.number(),
  p95Ms: z.number(),
  errors: z.number().int(),
});
export type LatencyPoint = z.infer<typeof latencyPointSchema>;
export const latencyResponseSchema = z.object({ points: z.array(latencyPointSchema) });

export const releaseChannels = ['stable', 'canary', 'other'] as const;
/** `GET /api/dashboards/remote-loads`: loads browsers reported, per remote and version. */
export const remoteLoadPointSchema = z.object({
  bucketStart: z.string(),
  remote: z.string(),
  version: z.string(),
  /** What the registry serves the version as now: stable, canary, or neither (an old or yanked one). */
  channel: z.enum(releaseChannels),
  loads: z.number().int(),
  failures: z.number().int(),
});
export type RemoteLoadPoint = z.infer<typeof remoteLoadPointSchema>;
export const remoteLoadFailureSchema = z.object({
  at: z.string(),
  remote: z.string(),
  version: z.string(),
  outcome: z.string(),
  ms: z.number().int().nullable(),
  /** The browser's error detail (at most 500 characters), if it sent one. */
  detail: z.string().nullable(),
});
export type RemoteLoadFailure = z.infer<typeof remoteLoadFailureSchema>;
export const remoteLoadsResponseSchema = z.object({
  points: z.array(remoteLoadPointSchema),
  /** The newest failed loads in the range, newest first (at most 50). */
  failures: z.array(remoteLoadFailureSchema),
});

/** `GET /api/dashboards/approvals`: drafts pending now and how long they have waited. */
export const pendingApprovalSchema = z.object({
  id: z.uuid(),
  tool: z.string(),
  risk: z.string(),
  createdAt: z.string(),
  ageSeconds: z.number().int(),
});
export const approvalsResponseSchema = z.object({
  pending: z.number().int(),
  /** Oldest first, at most 100. */
  oldest: z.array(pendingApprovalSchema),
  /** Pending drafts by age: under 1 h, 1–4 h, 4–24 h, over 24 h. */
  byAge: z.array(z.object({ label: z.enum(['lt_1h', '1h_4h', '4h_24h', 'gt_24h']), count: z.number().int() })),
});
export type ApprovalsResponse = z.infer<typeof approvalsResponseSchema>;

/** One run of the eval suite: `POST /api/evals/runs` (a personal access token with scope `evals`, or an admin session). */
export const createEvalRunRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    passed: z.number().int().min(0).max(1_000_000),
    total: z.number().int().min(1).max(1_000_000),
    detail: z.record(z.string(), z.unknown()).default({}),
  })
  .refine((run) => run.passed <= run.total, { message: 'passed cannot exceed total', path: ['passed'] });
export type CreateEvalRunRequest = z.input<typeof createEvalRunRequestSchema>;
export const evalRunSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  passed: z.number().int(),
  total: z.number().int(),
  /** passed / total, 0–1. */
  passRate: z.number(),
  at: z.string(),
});
export type EvalRun = z.infer<typeof evalRunSchema>;
export const evalRunResponseSchema = z.object({ run: evalRunSchema });
/** `GET /api/evals/runs` (`dashboards:read`): newest first, at most `limit` (default 50). */
export const evalRunsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
export const evalRunsResponseSchema = z.object({ runs: z.array(evalRunSchema) });
