import { and, eq, isNull } from 'drizzle-orm';
import { findMessage } from '../chats/repository.js';
import { toMessageView } from '../chats/views.js';
import type { ModelPrice } from '../config.js';
import { messages } from '../db/schema/index.js';
import { type EventDeps, withEvents } from '../realtime/event-log.js';
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
    promptTokens: prompt.reduce((sum, turn) => sum + estimateTokens(turn.content), 0),
    completionTokens: estimateTokens(text),
  };
}

/**
 * A stopped answer was generated, and billed, up to the stop; the provider's usage never came,
 * since the stream was cut. Records an estimate for the prompt and the text the answer kept,
 * once, and tells the user's tabs.
 */
export async function recordStoppedUsage(
  deps: EventDeps,
  answer: { userId: string; answerId: string },
  call: { model: string; prompt: readonly LlmTurn[]; prices: Record<string, ModelPrice> },
): Promise<void> {
  const stopped = await findMessage(deps.db, answer.userId, answer.answerId);
  if (stopped?.status !== 'stopped' || stopped.promptTokens !== null) return;
  const usage = estimateUsage(call.prompt, stopped.content);
  await withEvents(deps, async (tx, emit) => {
    const [row] = await tx
      .update(messages)
      .set({ ...usage, costUsd: costUsd(call.prices, call.model, usage) })
      .where(and(eq(messages.id, answer.answerId), eq(messages.status, 'stopped'), isNull(messages.promptTokens)))
      .returning();
    if (row) await emit.toUser(answer.userId, { type: 'message.updated', message: toMessageView(row) });
  });
}
