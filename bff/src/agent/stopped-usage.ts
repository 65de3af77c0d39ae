import { findMessage } from '../chats/repository.js';
import type { ModelPrice } from '../config.js';
import type { Database } from '../db/index.js';
import type { AnswerLifecycle, AnswerRef } from './answer-lifecycle.js';
import type { LlmTurn } from './llm-client.js';
import { costUsd } from './pricing.js';
import { estimateTokens } from './token-budget.js';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/** What an answer cost when the provider did not say: the prompt sent and the text written, estimated. */
export function estimateUsage(prompt: readonly LlmTurn[], text: string): Usage {
  return {
    promptTokens: prompt.reduce((sum, turn) => sum + estimateTokens(turn.content ?? ''), 0),
    completionTokens: estimateTokens(text),
  };
}

/**
 * A stopped answer was generated, and billed, up to the stop; the provider's usage never came,
 * since the stream was cut. Records an estimate for the prompt and the text the answer kept
 * (with `tail`, what the output guardrail still held back, masked),
 * once (the lifecycle writes it only while the answer is `stopped` without usage), and tells the user's tabs.
 */
export async function recordStoppedUsage(
  deps: { db: Database; lifecycle: AnswerLifecycle },
  answer: AnswerRef,
  call: {
    model: string;
    prompt: readonly LlmTurn[];
    prices: Record<string, ModelPrice>;
    /** Masked text the stream still held at the stop (never a delta): appended with the usage. */
    tail?: string;
    /** The seq of the last delta in `tail` (it becomes the answer's `deltaSeq`); null: none. */
    tailSeq?: number | null;
  },
): Promise<void> {
  const stopped = await findMessage(deps.db, answer.userId, answer.answerId);
  if (stopped?.status !== 'stopped' || stopped.promptTokens !== null) return;
  const tail = call.tail ?? '';
  const usage = estimateUsage(call.prompt, stopped.content + tail);
  await deps.lifecycle.recordStoppedUsage(
    answer,
    { ...usage, costUsd: costUsd(call.prices, call.model, usage) },
    tail,
    call.tailSeq ?? null,
  );
}
