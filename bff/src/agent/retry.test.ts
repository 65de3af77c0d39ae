import { describe, expect, it } from 'vitest';
import { LlmError } from './llm-client.js';
import { backoffDelay, type RetryPolicy, withRetries } from './retry.js';

const policy = (sleeps: number[], random = 1): RetryPolicy => ({
  maxRetries: 3,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  sleep: async (ms) => {
    sleeps.push(ms);
  },
  random: () => random,
});

describe('retries', () => {
  it('backs off exponentially with jitter, capped, and prefers Retry-After', () => {
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, policy([]), null))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(2, policy([], 0), null)).toBe(200);
    expect(backoffDelay(0, policy([]), 5000)).toBe(1000);
    expect(backoffDelay(0, policy([]), 300)).toBe(300);
  });

  it('retries retryable errors only, up to the limit', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    await expect(
      withRetries(async () => {
        calls++;
        throw new LlmError('provider', 'boom', 503);
      }, policy(sleeps)),
    ).rejects.toMatchObject({ kind: 'provider' });
    expect(calls).toBe(4);
    calls = 0;
    await expect(
      withRetries(async () => {
        calls++;
        throw new LlmError('rejected', 'bad request', 400);
      }, policy([])),
    ).rejects.toMatchObject({ kind: 'rejected' });
    expect(calls).toBe(1);
  });

  it('lets the caller refuse a retry', async () => {
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          calls++;
          throw new LlmError('network', 'reset');
        },
        policy([]),
        () => false,
      ),
    ).rejects.toBeInstanceOf(LlmError);
    expect(calls).toBe(1);
  });
});
