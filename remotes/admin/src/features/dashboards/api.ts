import {
  type ApiClient,
  type ApprovalsResponse,
  approvalsResponseSchema,
  type DashboardBucket,
  type EvalRun,
  evalRunsResponseSchema,
  type LatencyPoint,
  latencyResponseSchema,
  type RemoteLoadFailure,
  type RemoteLoadPoint,
  remoteLoadsResponseSchema,
  type UsageGroupBy,
  type UsageRow,
  usageResponseSchema,
} from '@atrium/contracts';

/** A dashboard range: ISO instants (`to` exclusive) and the bucket every series uses. */
export interface DashboardRange {
  from: string;
  to: string;
  bucket: DashboardBucket;
}

const rangeQuery = ({ from, to, bucket }: DashboardRange) => new URLSearchParams({ from, to, bucket }).toString();

export async function fetchLatency(api: ApiClient, range: DashboardRange): Promise<LatencyPoint[]> {
  return (await api.get(`/api/dashboards/latency?${rangeQuery(range)}`, latencyResponseSchema)).points;
}

export async function fetchRemoteLoads(
  api: ApiClient,
  range: DashboardRange,
): Promise<{ points: RemoteLoadPoint[]; failures: RemoteLoadFailure[] }> {
  return api.get(`/api/dashboards/remote-loads?${rangeQuery(range)}`, remoteLoadsResponseSchema);
}

export async function fetchApprovals(api: ApiClient): Promise<ApprovalsResponse> {
  return api.get('/api/dashboards/approvals', approvalsResponseSchema);
}

export async function fetchEvalRuns(api: ApiClient): Promise<EvalRun[]> {
  return (await api.get('/api/evals/runs?limit=50', evalRunsResponseSchema)).runs;
}

/** Usage per day over the range's whole days (UTC): `/api/usage` takes dates. */
export async function fetchUsage(api: ApiClient, range: DashboardRange, groupBy: UsageGroupBy): Promise<UsageRow[]> {
  const from = range.from.slice(0, 10);
  const toDate = new Date(range.to);
  // `to` is exclusive: include the day the range ends in.
  const to = new Date(Date.UTC(toDate.getUTCFullYear(), toDate.getUTCMonth(), toDate.getUTCDate() + 1))
    .toISOString()
    .slice(0, 10);
  const query = new URLSearchParams({ groupBy, bucket: 'day', from, to }).toString();
  return (await api.get(`/api/usage?${query}`, usageResponseSchema)).rows;
}
