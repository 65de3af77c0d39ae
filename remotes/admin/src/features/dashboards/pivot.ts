import type { ChartSeries } from './components/time-chart.js';

/** Most series one chart draws; the rest are summed into one `otherLabel` series (the table keeps every row). */
export const maxSeries = 6;

/**
 * Turns rows of (bucket start, series label, value) into uPlot's aligned columns: the sorted
 * bucket starts in seconds, and one series per label (null where a label has no row in a bucket),
 * the `maxSeries - 1` largest by total first and the rest summed as `otherLabel`.
 */
export function pivot<Row>(
  rows: readonly Row[],
  pick: { bucket: (row: Row) => string; label: (row: Row) => string; value: (row: Row) => number },
  otherLabel: string,
): { xs: number[]; series: ChartSeries[] } {
  const buckets = [...new Set(rows.map(pick.bucket))].sort();
  const index = new Map(buckets.map((bucket, i) => [bucket, i]));
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(pick.label(row), (totals.get(pick.label(row)) ?? 0) + pick.value(row));
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([label]) => label);
  const kept = ranked.length > maxSeries ? ranked.slice(0, maxSeries - 1) : ranked;
  const keptSet = new Set(kept);
  const labels = ranked.length > kept.length ? [...kept, otherLabel] : kept;
  const columns = new Map(labels.map((label) => [label, new Array<number | null>(buckets.length).fill(null)]));
  for (const row of rows) {
    const label = keptSet.has(pick.label(row)) ? pick.label(row) : otherLabel;
    const column = columns.get(label)!;
    const i = index.get(pick.bucket(row))!;
    column[i] = (column[i] ?? 0) + pick.value(row);
  }
  return {
    xs: buckets.map((bucket) => Date.parse(bucket.length === 10 ? `${bucket}T00:00:00Z` : bucket) / 1000),
    series: labels.map((label) => ({ label, values: columns.get(label)! })),
  };
}
