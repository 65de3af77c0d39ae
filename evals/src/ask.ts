import type { Message } from '@atrium/contracts';
import type { AtriumClient } from './client.js';
import type { EvalCase } from './dataset.js';
import type { AskOutcome } from './score.js';

/** Where an answer rests: `awaiting_approval` too, since nobody approves drafts during a run. */
const finalStatuses: ReadonlySet<Message['status']> = new Set(['complete', 'failed', 'stopped', 'awaiting_approval']);

export interface AskOptions {
  /** Makes each Idempotency-Key unique to this run. */
  runId: string;
  /** How long an answer may take before the case counts as `timeout`, in ms. */
  timeoutMs: number;
  /** How often to poll the chat's messages, in ms. */
  pollMs: number;
}

function outcomeOf(answer: Message, latencyMs: number | null): AskOutcome {
  return {
    status: answer.status,
    content: answer.content,
    citations: answer.citations,
    mode: answer.mode,
    latencyMs,
    error: answer.error ? `${answer.error.code}: ${answer.error.message}` : null,
    steps: answer.steps,
  };
}

/**
 * Asks one case in a chat of its own (so no case sees another's history): `POST /api/chats`, then
 * `POST /api/chats/:id/messages` with an Idempotency-Key, then polls `GET /api/chats/:id/messages`
 * until the answer is complete, failed, stopped or awaiting approval. Never throws: a failed request becomes an
 * `error` outcome, so one bad case cannot stop the run.
 */
export async function askCase(
  client: AtriumClient,
  c: Pick<EvalCase, 'id' | 'input'>,
  options: AskOptions,
): Promise<AskOutcome> {
  try {
    const chat = await client.createChat(`eval: ${c.id}`);
    const sentAt = performance.now();
    let answer = await client.postMessage(chat.id, c.input, `eval-${options.runId}-${c.id}`);
    const deadline = sentAt + options.timeoutMs;
    while (!finalStatuses.has(answer.status)) {
      if (performance.now() > deadline) return { ...outcomeOf(answer, null), status: 'timeout', error: null };
      await new Promise((resolve) => setTimeout(resolve, options.pollMs));
      const current = (await client.listMessages(chat.id)).find((message) => message.id === answer.id);
      if (!current) throw new Error(`answer ${answer.id} is no longer in chat ${chat.id}`);
      answer = current;
    }
    return outcomeOf(answer, performance.now() - sentAt);
  } catch (error) {
    return {
      status: 'error',
      content: '',
      citations: [],
      mode: null,
      latencyMs: null,
      error: error instanceof Error ? error.message : String(error),
      steps: [],
    };
  }
}
