import { describe, expect, it } from 'vitest';
import { maxSeries, pivot } from './pivot.js';

const pick = {
  bucket: (row: { at: string }) => row.at,
  label: (row: { key: string }) => row.key,
  value: (row: { n: number }) => row.n,
};

describe('pivot', () => {
  it('aligns series on sorted buckets, null where a series has no row, largest total first', () => {
    const { xs, series } = pivot(
      [
        { at: '2030-01-02', key: 'b', n: 1 },
        { at: '2030-01-01', key: 'a', n: 5 },
        { at: '2030-01-02', key: 'a', n: 2 },
      ],
      pick,
      'other',
    );
    expect(xs).toEqual([Date.UTC(2030, 0, 1) / 1000, Date.UTC(2030, 0, 2) / 1000]);
    expect(series).toEqual([
      { label: 'a', values: [5, 2] },
      { label: 'b', values: [null, 1] },
    ]);
  });

  it('sums the smallest series into one "other" past the limit', () => {
    const rows = Array.from({ length: maxSeries + 2 }, (_, i) => ({
      at: '2030-01-01T00:00:00Z',
      key: `k${i}`,
      n: 100 - i,
    }));
    const { series } = pivot(rows, pick, 'other');
    expect(series).toHaveLength(maxSeries);
    expect(series.at(-1)).toEqual({ label: 'other', values: [100 - 5 + 100 - 6 + 100 - 7] });
  });
});
