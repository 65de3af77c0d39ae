import type { LlmTurn } from './llm-client.js';

/** About four characters per token for English; good enough to budget, never used for billing when usage is reported. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Per-message overhead of the chat format (role, separators). */
const perTurnTokens = 4;

export const turnTokens = (turn: LlmTurn) => estimateTokens(turn.content) + perTurnTokens;

/**
 * Keeps the system prompt and the newest turns that fit the budget. The newest turn (the
 * question) is always kept, cut from the front if it alone is too long. History is cut between
 * exchanges only: an answer whose question did not fit is left out too, so the model never
 * sees an answer to a question it was not shown.
 */
export function fitHistory(system: LlmTurn, turns: readonly LlmTurn[], budget: number): LlmTurn[] {
  let left = budget - turnTokens(system);
  const kept: LlmTurn[] = [];
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i]!;
    const cost = turnTokens(turn);
    if (cost <= left) {
      kept.unshift(turn);
      left -= cost;
      continue;
    }
    if (kept.length === 0)
      kept.unshift({ ...turn, content: turn.content.slice(-Math.max(0, left - perTurnTokens) * 4) });
    break;
  }
  while (kept.length > 1 && kept[0]!.role === 'assistant') kept.shift();
  return [system, ...kept];
}
