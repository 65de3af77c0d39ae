import { describe, expect, it } from 'vitest';
import { formatTable, formatTime } from './table.js';

describe('formatTable', () => {
  it('pads columns to the widest cell and trims line ends', () => {
    expect(
      formatTable(
        ['REMOTE', 'STABLE'],
        [
          ['chat-core', '1.2.3'],
          ['admin', '—'],
        ],
      ),
    ).toBe('REMOTE     STABLE\nchat-core  1.2.3\nadmin      —\n');
  });
});

describe('formatTime', () => {
  it('keeps minutes in UTC', () => {
    expect(formatTime('2026-11-23T09:27:21.000Z')).toBe('2026-11-23 09:27Z');
    expect(formatTime(null)).toBe('—');
  });
});
