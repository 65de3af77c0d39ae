import type { AnswerStep, Draft } from '@atrium/contracts';
import { and, eq } from 'drizzle-orm';
import { messageColumns } from '../chats/answer-text.js';
import { messages } from '../db/schema/index.js';
import type { MaskPolicy } from '../guardrails/output-mask.js';
import type { JobHandler } from '../jobs/worker.js';
import type { EventDeps } from '../realtime/event-log.js';
import type { AnswerDrafts } from '../tools/tool.js';
import { type AnswerRef, createAnswerLifecycle } from './answer-lifecycle.js';
import { escapeMarkdown } from './markdown-text.js';

/** The queue the drafts module enqueues on, in the transaction that settles a draft of a chat answer. */
export const answerContinueQueue = 'answer.continue';

/** `answer.continue` payload: the answer waiting, and the draft whose final state triggered the job. */
export interface AnswerContinuePayload {
  answerId: string;
  draftId: string;
}

/**
 * Every move of this handler is from `awaiting_approval` only: the status it read may be stale by
 * the time it writes (another job's continuation may be streaming the answer), and a stale job
 * must neither complete nor re-park an answer it no longer owns.
 */
const waitingOnly = { from: ['awaiting_approval'] } as const;

const settled: ReadonlySet<Draft['status']> = new Set(['executed', 'failed', 'rejected', 'expired', 'withdrawn']);

/** A drafted step's summary once its draft is final: what happened, in the server's English. */
function settledSummary(draft: Draft): string {
  const why = draft.outcome?.message;
  return why ? `${draft.status}: ${why}` : draft.status;
}

/**
 * Continues a model's answer with the drafts' results (the agent, generation.ts `resume`):
 * `steps` are the answer's steps with the settled summaries, `drafts` the answer's drafts (all
 * settled). Resolves true once the continuation ran (the answer moved on through the lifecycle);
 * false when it could not start (no model, breaker open, another answer running in the chat) and
 * the handler completes the answer with a plain result instead.
 */
export type ResumeAnswer = (
  ref: AnswerRef,
  input: { steps: AnswerStep[]; drafts: readonly Draft[] },
) => Promise<boolean>;

/**
 * The `answer.continue` job handler (issue 10, design step 4). Idempotent: an answer no longer
 * `awaiting_approval` is left alone, also when it moves on while the handler runs (every move
 * here is from `awaiting_approval` only), so of two jobs of one answer that both find every draft
 * settled exactly one continues it (once per answer: see generation.ts `resume`). While any of its drafts is pending or executing, only the
 * settled steps' summaries are updated (the answer keeps waiting). Once all are settled, the model
 * continues the answer with the results (`resume`), or, with no model, a short plain result is
 * appended and the answer completes. Each write goes through the answer lifecycle.
 */
export function answerContinueHandler(
  deps: EventDeps & {
    leaseMs: number;
    drafts: AnswerDrafts;
    resume?: ResumeAnswer | null;
    /** The output guardrail for the plain result (a draft's outcome may quote a secret). */
    mask?: MaskPolicy | null;
  },
): JobHandler<AnswerContinuePayload> {
  const lifecycle = createAnswerLifecycle(deps);
  return {
    async run(job) {
      const [answer] = await deps.db
        .select(messageColumns)
        .from(messages)
        .where(and(eq(messages.id, job.payload.answerId), eq(messages.role, 'assistant')));
      if (answer?.status !== 'awaiting_approval') return;
      const ref: AnswerRef = { userId: answer.userId, chatId: answer.chatId, answerId: answer.id };
      const drafts = new Map((await deps.drafts.forAnswer(answer.id)).map((draft) => [draft.id, draft]));
      const steps = answer.steps.map((step) => {
        const draft = step.draftId ? drafts.get(step.draftId) : undefined;
        return draft && settled.has(draft.status) ? { ...step, summary: settledSummary(draft) } : step;
      });
      const waiting = answer.steps.some((step) => {
        const draft = step.draftId ? drafts.get(step.draftId) : undefined;
        return draft !== undefined && !settled.has(draft.status);
      });
      if (waiting) {
        await lifecycle.move(ref, 'awaiting_approval', { steps }, waitingOnly);
        return;
      }
      // `resume` false: it did not start, or another job's continuation won the move (then the
      // answer is no longer waiting and the plain result below is refused too).
      if (deps.resume && (await deps.resume(ref, { steps, drafts: [...drafts.values()] }))) return;
      const results = steps
        .filter((step) => step.draftId)
        .map((step) => `- ${escapeMarkdown(step.tool)}: ${escapeMarkdown(step.summary ?? '')}`)
        .join('\n');
      await lifecycle.move(
        ref,
        'complete',
        { steps, content: `${answer.content}\n\nResult:\n${results}` },
        waitingOnly,
      );
    },
  };
}
