import type { ApiClient, Locale, MountProps, UsageGroupBy, UsageRow } from '@atrium/contracts';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type DashboardRange,
  fetchApprovals,
  fetchEvalRuns,
  fetchLatency,
  fetchRemoteLoads,
  fetchUsage,
} from '../features/dashboards/api.js';
import { ChartPanel } from '../features/dashboards/components/chart-panel.js';
import { TimeChart } from '../features/dashboards/components/time-chart.js';
import { useDashboardData } from '../features/dashboards/hooks/use-dashboard-data.js';
import { pivot } from '../features/dashboards/pivot.js';
import { useDateTime } from '../i18n/use-date-time.js';

const spans = {
  '24h': { ms: 24 * 3_600_000, bucket: 'hour' },
  '7d': { ms: 7 * 86_400_000, bucket: 'hour' },
  '30d': { ms: 30 * 86_400_000, bucket: 'day' },
} as const;
type Span = keyof typeof spans;

/** The range ending at the next whole hour (so the current bucket is included), in UTC. */
function rangeFor(span: Span, now = Date.now()): DashboardRange {
  const hour = 3_600_000;
  const to = Math.ceil((now + 1) / hour) * hour;
  return {
    from: new Date(to - spans[span].ms).toISOString(),
    to: new Date(to).toISOString(),
    bucket: spans[span].bucket,
  };
}

const dashboardsCss = `
.dash-grid { display: grid; gap: 20px; grid-template-columns: repeat(auto-fill, minmax(min(100%, 520px), 1fr)); }
.dash-panel { border: 1px solid var(--border); border-radius: 10px; padding: 12px 16px; min-width: 0; }
.dash-panel h3 { margin: 0; font-size: 1.05rem; }
.dash-panel-head { display: flex; justify-content: space-between; align-items: center; gap: 8px; flex-wrap: wrap; }
.dash-chart { width: 100%; overflow: hidden; }
.dash-table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin-top: 8px; }
.dash-table caption { text-align: left; font-weight: 600; padding: 4px 0; }
.dash-table th, .dash-table td { border-bottom: 1px solid var(--border); padding: 4px 8px; text-align: left; }
.dash-num { text-align: right !important; font-variant-numeric: tabular-nums; }
.dash-controls { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin: 8px 0; }
`;

function useFormats(locale: Locale) {
  return useMemo(() => {
    const usd = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });
    // Answers cost fractions of a cent: show them with their significant digits, not as $0.00.
    const cents = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', maximumSignificantDigits: 3 });
    const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    const ms = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    return {
      usd: (n: number) => (n !== 0 && Math.abs(n) < 0.01 ? cents.format(n) : usd.format(n)),
      integer: (n: number) => integer.format(n),
      percent: (n: number) => percent.format(n),
      ms: (n: number) => ms.format(n),
      day: (iso: string) => day.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`)),
    };
  }, [locale]);
}

/**
 * `/admin/dashboards` (`dashboards:read`): remote loads by version, request latency, tokens and
 * cost, pending approvals and eval pass rates. Loaded on demand (its chart library is in this
 * route's chunk only); each chart has a table with the same numbers.
 */
export default function DashboardsPage({ api, locale }: MountProps) {
  const { t } = useTranslation('admin');
  const [span, setSpan] = useState<Span>('24h');
  const range = useMemo(() => rangeFor(span), [span]);
  return (
    <section aria-labelledby="admin-dashboards-title" data-testid="admin-dashboards">
      <style href="atrium-admin-dashboards" precedence="default">
        {dashboardsCss}
      </style>
      <h2 id="admin-dashboards-title">{t('dashboards.title')}</h2>
      <div className="dash-controls">
        <label>
          {t('dashboards.range')}{' '}
          <select value={span} onChange={(event) => setSpan(event.target.value as Span)} data-testid="dashboards-range">
            {(Object.keys(spans) as Span[]).map((key) => (
              <option key={key} value={key}>
                {t(`dashboards.span${key}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="dash-grid">
        <RemoteLoadsPanel api={api} locale={locale} range={range} />
        <LatencyPanel api={api} locale={locale} range={range} />
        <UsagePanel api={api} locale={locale} range={range} />
        <ApprovalsPanel api={api} locale={locale} />
        <EvalsPanel api={api} locale={locale} />
      </div>
    </section>
  );
}

interface PanelProps {
  api: ApiClient;
  locale: Locale;
  range: DashboardRange;
}

const rangeKey = (range: DashboardRange) => `${range.from}/${range.to}/${range.bucket}`;
const rangeSeconds = (range: DashboardRange): [number, number] => [
  Date.parse(range.from) / 1000,
  Date.parse(range.to) / 1000,
];

function RemoteLoadsPanel({ api, locale, range }: PanelProps) {
  const { t } = useTranslation('admin');
  const dateTime = useDateTime(locale);
  const { state, reload } = useDashboardData(() => fetchRemoteLoads(api, range), rangeKey(range));
  const channelKeys = { stable: 'channelStable', canary: 'channelCanary', other: 'channelOther' } as const;
  const channel = (c: 'stable' | 'canary' | 'other') => t(`dashboards.${channelKeys[c]}`);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `t` and `channel` follow the locale
  const chart = useMemo(() => {
    if (state.status !== 'ready') return null;
    const points = state.data.points;
    const label = (p: (typeof points)[number]) => `${p.remote}@${p.version} (${channel(p.channel)})`;
    const loads = pivot(points, { bucket: (p) => p.bucketStart, label, value: (p) => p.loads }, t('dashboards.other'));
    const failures = pivot(
      points,
      {
        bucket: (p) => p.bucketStart,
        label: (p) => `${label(p)} ${t('dashboardLoads.failed')}`,
        value: (p) => p.failures,
      },
      t('dashboards.other'),
    );
    return {
      xs: loads.xs,
      series: [...loads.series, ...failures.series.filter((s) => s.values.some((v) => (v ?? 0) > 0))],
    };
  }, [state, locale]);
  return (
    <ChartPanel
      testId="dash-remote-loads"
      title={t('dashboardLoads.title')}
      description={t('dashboardLoads.description')}
      state={state}
      reload={reload}
      rows={(data) => data.points}
      columns={[
        { header: t('dashboardColumns.time'), cell: (p) => dateTime(p.bucketStart) },
        { header: t('dashboardColumns.remote'), cell: (p) => p.remote },
        { header: t('dashboardColumns.version'), cell: (p) => p.version },
        { header: t('dashboardColumns.channel'), cell: (p) => channel(p.channel) },
        { header: t('dashboardColumns.loads'), cell: (p) => p.loads, numeric: true },
        { header: t('dashboardColumns.failures'), cell: (p) => p.failures, numeric: true },
      ]}
      chart={() =>
        chart ? (
          <TimeChart
            xs={chart.xs}
            series={chart.series}
            locale={locale}
            yLabel={t('dashboardLoads.axis')}
            xRange={rangeSeconds(range)}
            timeDetail={range.bucket === 'day' ? 'day' : 'time'}
            summary={t('dashboardLoads.summary', {
              loads: state.status === 'ready' ? state.data.points.reduce((n, p) => n + p.loads, 0) : 0,
              failures: state.status === 'ready' ? state.data.points.reduce((n, p) => n + p.failures, 0) : 0,
            })}
          />
        ) : null
      }
      after={(data) =>
        data.failures.length === 0 ? null : (
          <table className="dash-table" data-testid="dash-load-failures">
            <caption>{t('dashboardLoads.failuresCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboardColumns.time')}</th>
                <th scope="col">{t('dashboardColumns.remote')}</th>
                <th scope="col">{t('dashboardColumns.version')}</th>
                <th scope="col">{t('dashboardColumns.outcome')}</th>
                <th scope="col">{t('dashboardColumns.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {data.failures.map((f, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a read-only snapshot
                <tr key={i}>
                  <td>{dateTime(f.at)}</td>
                  <td>{f.remote}</td>
                  <td>{f.version}</td>
                  <td>{f.outcome}</td>
                  <td>{f.detail ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    />
  );
}

function LatencyPanel({ api, locale, range }: PanelProps) {
  const { t } = useTranslation('admin');
  const dateTime = useDateTime(locale);
  const f = useFormats(locale);
  const { state, reload } = useDashboardData(() => fetchLatency(api, range), rangeKey(range));
  const chart = useMemo(() => {
    if (state.status !== 'ready') return null;
    const xs = state.data.map((p) => Date.parse(p.bucketStart) / 1000);
    return {
      xs,
      series: [
        { label: 'p50', values: state.data.map((p) => p.p50Ms) },
        { label: 'p95', values: state.data.map((p) => p.p95Ms) },
      ],
    };
  }, [state]);
  return (
    <ChartPanel
      testId="dash-latency"
      title={t('dashboardLatency.title')}
      description={t('dashboardLatency.description')}
      state={state}
      reload={reload}
      rows={(data) => data}
      columns={[
        { header: t('dashboardColumns.time'), cell: (p) => dateTime(p.bucketStart) },
        { header: t('dashboardColumns.requests'), cell: (p) => f.integer(p.count), numeric: true },
        { header: t('dashboardColumns.errors'), cell: (p) => f.integer(p.errors), numeric: true },
        { header: 'p50 (ms)', cell: (p) => f.ms(p.p50Ms), numeric: true },
        { header: 'p95 (ms)', cell: (p) => f.ms(p.p95Ms), numeric: true },
      ]}
      chart={() =>
        chart ? (
          <TimeChart
            xs={chart.xs}
            series={chart.series}
            locale={locale}
            yLabel={t('dashboardLatency.axis')}
            xRange={rangeSeconds(range)}
            formatY={f.ms}
            timeDetail={range.bucket === 'day' ? 'day' : 'time'}
            summary={t('dashboardLatency.summary', {
              p95: f.ms(Math.max(0, ...(state.status === 'ready' ? state.data.map((p) => p.p95Ms) : [0]))),
            })}
          />
        ) : null
      }
    />
  );
}

function UsagePanel({ api, locale, range }: PanelProps) {
  const { t } = useTranslation('admin');
  const f = useFormats(locale);
  const [groupBy, setGroupBy] = useState<UsageGroupBy>('user');
  const [measure, setMeasure] = useState<'cost' | 'tokens'>('cost');
  const { state, reload } = useDashboardData(() => fetchUsage(api, range, groupBy), `${rangeKey(range)}/${groupBy}`);
  const value = (row: UsageRow) => (measure === 'cost' ? row.costUsd : row.promptTokens + row.completionTokens);
  const label = (row: UsageRow) => (row.key === 'unknown' ? t('dashboardUsage.unknown') : row.label);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `t` follows the locale; `value` and `label` follow `measure`
  const chart = useMemo(
    () =>
      state.status === 'ready'
        ? pivot(state.data, { bucket: (r) => r.bucketStart, label, value }, t('dashboards.other'))
        : null,
    [state, measure, locale],
  );
  return (
    <ChartPanel
      testId="dash-usage"
      title={t('dashboardUsage.title')}
      description={t('dashboardUsage.description')}
      state={state}
      reload={reload}
      controls={
        <div className="dash-controls">
          <label>
            {t('dashboardUsage.groupBy')}{' '}
            <select value={groupBy} onChange={(event) => setGroupBy(event.target.value as UsageGroupBy)}>
              <option value="user">{t('dashboardUsage.byUser')}</option>
              <option value="agent">{t('dashboardUsage.byAgent')}</option>
              <option value="model">{t('dashboardUsage.byModel')}</option>
            </select>
          </label>
          <label>
            {t('dashboardUsage.measure')}{' '}
            <select value={measure} onChange={(event) => setMeasure(event.target.value as 'cost' | 'tokens')}>
              <option value="cost">{t('dashboardUsage.cost')}</option>
              <option value="tokens">{t('dashboardUsage.tokens')}</option>
            </select>
          </label>
        </div>
      }
      rows={(data) => data}
      columns={[
        { header: t('dashboardColumns.day'), cell: (r) => f.day(r.bucketStart) },
        { header: t(`dashboardUsage.${groupBy}Column` as const), cell: label },
        { header: t('dashboardColumns.answers'), cell: (r) => f.integer(r.answers), numeric: true },
        { header: t('dashboardColumns.promptTokens'), cell: (r) => f.integer(r.promptTokens), numeric: true },
        { header: t('dashboardColumns.completionTokens'), cell: (r) => f.integer(r.completionTokens), numeric: true },
        { header: t('dashboardColumns.cost'), cell: (r) => f.usd(r.costUsd), numeric: true },
      ]}
      chart={() =>
        chart ? (
          <TimeChart
            xs={chart.xs}
            series={chart.series}
            locale={locale}
            yLabel={measure === 'cost' ? t('dashboardUsage.costAxis') : t('dashboardUsage.tokensAxis')}
            formatY={measure === 'cost' ? f.usd : f.integer}
            xRange={[Date.parse(range.from.slice(0, 10)) / 1000, Date.parse(range.to) / 1000]}
            timeDetail="day"
            summary={t('dashboardUsage.summary', {
              cost: f.usd(state.status === 'ready' ? state.data.reduce((n, r) => n + r.costUsd, 0) : 0),
            })}
          />
        ) : null
      }
    />
  );
}

const ageKeys = { lt_1h: 'ageLt_1h', '1h_4h': 'age1h_4h', '4h_24h': 'age4h_24h', gt_24h: 'ageGt_24h' } as const;
const ageLabels = ['lt_1h', '1h_4h', '4h_24h', 'gt_24h'] as const;

function ApprovalsPanel({ api, locale }: { api: ApiClient; locale: Locale }) {
  const { t } = useTranslation('admin');
  const dateTime = useDateTime(locale);
  const { state, reload } = useDashboardData(() => fetchApprovals(api), 'approvals');
  const hours = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const categories = useMemo(() => ageLabels.map((label) => t(`dashboardApprovals.${ageKeys[label]}`)), [t]);
  const chart = useMemo(
    () =>
      state.status === 'ready'
        ? {
            xs: ageLabels.map((_, i) => i),
            series: [{ label: t('dashboardApprovals.pendingSeries'), values: state.data.byAge.map((b) => b.count) }],
          }
        : null,
    [state, t],
  );
  return (
    <ChartPanel
      testId="dash-approvals"
      title={t('dashboardApprovals.title')}
      description={
        state.status === 'ready'
          ? t('dashboardApprovals.pendingNow', { count: state.data.pending })
          : t('dashboardApprovals.description')
      }
      state={state}
      reload={reload}
      rows={(data) => data.oldest}
      columns={[
        { header: t('dashboardColumns.tool'), cell: (d) => d.tool },
        { header: t('dashboardColumns.risk'), cell: (d) => d.risk },
        { header: t('dashboardColumns.proposed'), cell: (d) => dateTime(d.createdAt) },
        { header: t('dashboardColumns.ageHours'), cell: (d) => hours.format(d.ageSeconds / 3_600), numeric: true },
      ]}
      chart={() =>
        chart ? (
          <TimeChart
            xs={chart.xs}
            series={chart.series}
            locale={locale}
            kind="category"
            categories={categories}
            bars
            yLabel={t('dashboardApprovals.axis')}
            summary={t('dashboardApprovals.pendingNow', { count: state.status === 'ready' ? state.data.pending : 0 })}
          />
        ) : null
      }
    />
  );
}

function EvalsPanel({ api, locale }: { api: ApiClient; locale: Locale }) {
  const { t } = useTranslation('admin');
  const dateTime = useDateTime(locale);
  const f = useFormats(locale);
  const { state, reload } = useDashboardData(() => fetchEvalRuns(api), 'evals');
  const chart = useMemo(() => {
    if (state.status !== 'ready') return null;
    const runs = [...state.data].reverse(); // oldest first, left to right
    return {
      xs: runs.map((run) => Date.parse(run.at) / 1000),
      series: [{ label: t('dashboardEvals.series'), values: runs.map((run) => run.passRate * 100) }],
    };
  }, [state, t]);
  return (
    <ChartPanel
      testId="dash-evals"
      title={t('dashboardEvals.title')}
      description={t('dashboardEvals.description')}
      state={state}
      reload={reload}
      rows={(data) => data}
      columns={[
        { header: t('dashboardColumns.time'), cell: (run) => dateTime(run.at) },
        { header: t('dashboardColumns.run'), cell: (run) => run.name },
        { header: t('dashboardColumns.passed'), cell: (run) => `${run.passed} / ${run.total}`, numeric: true },
        { header: t('dashboardColumns.passRate'), cell: (run) => f.percent(run.passRate), numeric: true },
      ]}
      chart={() =>
        chart ? (
          <TimeChart
            xs={chart.xs}
            series={chart.series}
            locale={locale}
            yLabel={t('dashboardEvals.axis')}
            formatY={(n) => `${Math.round(n)}%`}
            summary={t('dashboardEvals.summary', {
              rate: state.status === 'ready' && state.data[0] ? f.percent(state.data[0].passRate) : '—',
            })}
          />
        ) : null
      }
    />
  );
}
