import type { ModelPrice } from '../config.js';

/** USD for one answer; null when the model has no known price (shown as unknown, not as free). */
export function costUsd(
  prices: Record<string, ModelPrice>,
  model: string,
  usage: { promptTokens: number; completionTokens: number },
): number | null {
  const price = prices[model];
  if (!price) return null;
  return (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1_000_000;
}
