import type { Clock } from '../clock.js';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface CircuitBreaker {
  state(): BreakerState;
  /** May a request go to the provider now? In half-open, only one trial at a time. */
  tryAcquire(): boolean;
  success(): void;
  failure(): void;
  /** Gives back a half-open trial that never reached the provider (nothing was learned). */
  release(): void;
}

/** Opens after `failures` consecutive failures; after `cooldownMs` lets one trial through; a success closes it. */
export function createCircuitBreaker(options: { failures: number; cooldownMs: number; clock: Clock }): CircuitBreaker {
  let consecutive = 0;
  let openedAt: number | null = null;
  let trialInFlight = false;

  const coolingDown = () => openedAt !== null && options.clock.now().getTime() - openedAt < options.cooldownMs;

  return {
    state: () => (openedAt === null ? 'closed' : coolingDown() ? 'open' : 'half_open'),
    tryAcquire() {
      if (openedAt === null) return true;
      if (coolingDown() || trialInFlight) return false;
      trialInFlight = true;
      return true;
    },
    success() {
      consecutive = 0;
      openedAt = null;
      trialInFlight = false;
    },
    failure() {
      consecutive += 1;
      if (trialInFlight || consecutive >= options.failures) openedAt = options.clock.now().getTime();
      trialInFlight = false;
    },
    release() {
      trialInFlight = false;
    },
  };
}
