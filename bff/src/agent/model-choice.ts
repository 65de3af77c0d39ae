import type { LlmTurn } from './llm-client.js';
import { estimateTokens } from './token-budget.js';

/** Past this many characters a question is "long"; past this many history tokens a conversation is "long". */
const longQuestionChars = 600;
const longHistoryTokens = 3_000;
const complexSignals = /```|\b(step by step|compare|analy[sz]e|explain why|troubleshoot)\b/i;

/**
 * The small model answers short, plain questions; the large one long questions, code, requests
 * to analyse or compare, and long conversations. Cheap to compute, easy to explain to a user.
 */
export function chooseModel(models: { small: string; large: string }, turns: readonly LlmTurn[]): string {
  const question = turns.at(-1)?.content ?? '';
  const historyTokens = turns.reduce((sum, t) => sum + estimateTokens(t.content), 0);
  const large =
    question.length >= longQuestionChars || complexSignals.test(question) || historyTokens >= longHistoryTokens;
  return large ? models.large : models.small;
}
