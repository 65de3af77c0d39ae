import { LlmError } from './llm-client.js';

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter; a provider's Retry-After wins (capped, so a bad header can't park us). */
export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfterMs: number | null): number {
  if (retryAfterMs !== null) return Math.min(retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (policy.random() * ceiling) / 2);
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the retries run out. Only retryable
 * provider errors are retried; `canRetry` lets the caller refuse (an answer the user already
 * saw part of can't be restarted). Anything that is not an LlmError passes straight through.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy,
  canRetry: (error: LlmError) => boolean = () => true,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof LlmError) || n >= policy.maxRetries || !error.retryable || !canRetry(error)) throw error;
      await policy.sleep(backoffDelay(n, policy, error.retryAfterMs));
    }
  }
}
