import type { Clock } from '../clock.js';

export interface ManualClock extends Clock {
  advance(ms: number): void;
}

export function createManualClock(start = new Date('2030-01-01T09:00:00Z')): ManualClock {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
  };
}
