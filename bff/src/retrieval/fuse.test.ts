import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from './fuse.js';

describe('reciprocalRankFusion', () => {
  it('ranks an item found by both lists above items found by one', () => {
    const fused = reciprocalRankFusion(
      [
        ['a', 'b', 'c'],
        ['c', 'd'],
      ],
      (x) => x,
    );
    expect(fused.map((f) => f.item)).toEqual(['c', 'a', 'b', 'd']);
    expect(fused[0]?.score).toBeCloseTo(1 / 63 + 1 / 61);
  });

  it('keeps a single list in its order and handles empty lists', () => {
    expect(reciprocalRankFusion([['x', 'y'], []], (x) => x).map((f) => f.item)).toEqual(['x', 'y']);
    expect(reciprocalRankFusion([], (x: string) => x)).toEqual([]);
  });
});
