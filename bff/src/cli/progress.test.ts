import { describe, expect, it } from 'vitest';
import { createProgress, formatBytes, formatProgress } from './progress.js';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, write: (text: string) => writes.push(text) };
}

function clock(start = 0) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.00 kB'],
    [12_345, '12.3 kB'],
    [2_500_000, '2.50 MB'],
    [3_000_000_000, '3.00 GB'],
  ])('%d → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe('formatProgress', () => {
  it('shows the bar, percentage, bytes, files and throughput', () => {
    const line = formatProgress({ bytes: 1_200_000, totalBytes: 2_400_000, files: 3, totalFiles: 6, elapsedMs: 1500 });
    expect(line).toBe('[##########..........]   50%  1.20 MB / 2.40 MB  3/6 files  800 kB/s');
  });

  it('counts nothing to send as done, and has no rate before time passes', () => {
    expect(formatProgress({ bytes: 0, totalBytes: 0, files: 0, totalFiles: 0, elapsedMs: 0 })).toBe(
      '[####################]  100%  0 B / 0 B  0/0 files  –',
    );
  });
});

describe('createProgress', () => {
  it('redraws one line in place on a terminal, at most every redrawMs, and ends at 100% with a newline', () => {
    const out = stream(true);
    const time = clock();
    const progress = createProgress({ stream: out, totalBytes: 300, totalFiles: 3, now: time.now, redrawMs: 100 });
    time.advance(10);
    progress.fileDone(100); // within 100 ms of the first frame: not drawn
    time.advance(200);
    progress.fileDone(100);
    time.advance(10);
    progress.fileDone(100);
    progress.finish();
    expect(out.writes.every((frame) => frame.startsWith('\r\x1b[2K'))).toBe(true);
    expect(out.writes.map((frame) => /(\d+)%/.exec(frame)?.[1])).toEqual(['0', '66', '100']);
    expect(out.writes.at(-1)).toMatch(/100% {2}300 B \/ 300 B {2}3\/3 files {2}1\.36 kB\/s\n$/);
  });

  it('writes plain lines at every tenth off a terminal, and the last one once', () => {
    const out = stream(false);
    const time = clock();
    const progress = createProgress({ stream: out, totalBytes: 1000, totalFiles: 20, now: time.now });
    for (let file = 0; file < 20; file++) {
      time.advance(5);
      progress.fileDone(50);
    }
    progress.finish();
    expect(out.writes.every((line) => !line.includes('\r') && line.endsWith('\n'))).toBe(true);
    expect(out.writes.map((line) => /(\d+)%/.exec(line)?.[1])).toEqual([
      '0',
      '10',
      '20',
      '30',
      '40',
      '50',
      '60',
      '70',
      '80',
      '90',
      '100',
    ]);
    expect(out.writes.at(-1)).toContain('20/20 files');
  });
});
