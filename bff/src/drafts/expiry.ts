import type { JobHandler } from '../jobs/worker.js';
import { withEvents } from '../realtime/event-log.js';
import { expiredOutcome } from './decisions.js';
import { findVisibleDraft } from './repository.js';
import { type DraftDeps, settleDraft } from './settle.js';

/**
 * The `draft.expire` job, enqueued by the proposer due at the draft's `expiresAt`: under the
 * draft's lock, a draft still `pending` and past its time becomes `expired` (outcome
 * `draft.expired`, told to the requester, `answer.continue` for a chat draft). Anything else —
 * decided, withdrawn or executing — is left alone, so a repeated delivery changes nothing; an
 * early one is retried later.
 */
export function expireJobHandler(deps: DraftDeps): JobHandler<{ draftId: string }> {
  return {
    async run(job) {
      await withEvents(deps, async (tx, emit) => {
        const row = await findVisibleDraft(tx, null, job.payload.draftId, { lock: true });
        if (row?.status !== 'pending') return;
        if (row.expiresAt.getTime() > deps.clock.now().getTime()) {
          // Delivered early (another machine's clock): fail the attempt so the queue's backoff tries again.
          throw Object.assign(new Error('The draft is not due to expire yet.'), { code: 'draft.not_due' });
        }
        await settleDraft(deps, tx, emit, row, { status: 'expired', outcome: expiredOutcome, actorId: null });
      });
    },
  };
}
