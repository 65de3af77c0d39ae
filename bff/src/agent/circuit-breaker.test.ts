import { describe, expect, it } from 'vitest';
import { createManualClock } from '../testing/manual-clock.js';
import { createCircuitBreaker } from './circuit-breaker.js';

describe('circuit breaker', () => {
  it('opens after N consecutive failures, lets one trial through after the cool-down, closes on success', () => {
    const clock = createManualClock();
    const breaker = createCircuitBreaker({ failures: 2, cooldownMs: 1000, clock });
    breaker.failure();
    breaker.success();
    breaker.failure();
    expect(breaker.state()).toBe('closed');
    breaker.failure();
    expect(breaker.state()).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    clock.advance(1000);
    expect(breaker.state()).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.success();
    expect(breaker.state()).toBe('closed');
  });

  it('re-opens when the half-open trial fails', () => {
    const clock = createManualClock();
    const breaker = createCircuitBreaker({ failures: 1, cooldownMs: 1000, clock });
    breaker.failure();
    clock.advance(1000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.failure();
    expect(breaker.state()).toBe('open');
  });
});
