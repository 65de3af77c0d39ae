import type { MessageRow } from '../db/schema/index.js';
import type { LlmTurn } from './llm-client.js';

export type StoredTurn = Pick<MessageRow, 'id' | 'role' | 'content' | 'status' | 'replyTo'>;

/** An answer the model may be shown again: it has text and did not fail (a stopped one keeps what the user saw). */
const usable = (answer: StoredTurn) => answer.content.length > 0 && answer.status !== 'failed';

/**
 * The conversation an answer continues, as it stands for that answer, oldest first.
 *
 * Regenerate adds a second answer to the same question, and the newer one replaces the older
 * in the conversation. So each earlier question is followed by one answer only: its newest
 * usable one. The question being answered (`answering`, the new answer's `replyTo`) ends the
 * list without any of its earlier answers, since the new answer replaces them all. An answer
 * stored without `replyTo` belongs to the user message before it.
 *
 * `earlier` holds the chat's messages before the new answer, oldest first.
 */
export function standingTurns(answering: string | null, earlier: readonly StoredTurn[]): LlmTurn[] {
  const questions: StoredTurn[] = [];
  const standing = new Map<string, StoredTurn>();
  for (const message of earlier) {
    if (message.role === 'user') {
      questions.push(message);
      continue;
    }
    const question = message.replyTo ?? questions.at(-1)?.id;
    if (!question || question === answering || !usable(message)) continue;
    standing.set(question, message);
  }
  return questions.flatMap((question) => {
    const answer = standing.get(question.id);
    const turns: LlmTurn[] = [{ role: 'user', content: question.content }];
    if (answer) turns.push({ role: 'assistant', content: answer.content });
    return turns;
  });
}
