import { type DraftStatus, draftAuditTarget } from '@atrium/contracts';
import { and, eq, isNull, like, or } from 'drizzle-orm';
import { recordAudit } from '../audit/audit-log.js';
import type { Database } from '../db/index.js';
import { likePrefix } from '../db/like-pattern.js';
import { type DraftRow, drafts } from '../db/schema/index.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Emit, EventDeps } from '../realtime/event-log.js';
import { concernedUsers, draftView } from './repository.js';

/** What changing a draft needs: the event log, the job queue, and a nudge for an in-process worker. */
export interface DraftDeps extends EventDeps {
  queue: JobQueue;
  /** After a commit that enqueued a job: polls the in-process worker now (a no-op when it runs elsewhere). */
  wakeWorker(): void;
}

/** The job that executes an approved draft (execute.ts); keyed by the draft id, so at most one is active. */
export const executeQueue = 'draft.execute';
/** The job that expires a draft at its `expiresAt` (expiry.ts); keyed by the draft id. */
export const expireQueue = 'draft.expire';
/** The agent's job (agent/answer-continue.ts): continues an answer once all of its drafts are settled. Payload `{ answerId, draftId }`. */
export const answerContinueQueue = 'answer.continue';

export const finalStatuses = [
  'executed',
  'failed',
  'rejected',
  'expired',
  'withdrawn',
] as const satisfies readonly DraftStatus[];
export type FinalStatus = (typeof finalStatuses)[number];

/** Tells everyone concerned (repository `concernedUsers`) the draft as it is now, inside the caller's transaction. */
export async function announceDraft(tx: Database, emit: Emit, row: DraftRow): Promise<void> {
  const draft = await draftView(tx, row);
  for (const userId of await concernedUsers(tx, row)) await emit.toUser(userId, { type: 'draft.updated', draft });
}

/**
 * Writes a final state of a draft the caller holds locked, with its outcome (the code and words
 * the requester is shown), its audit entry, its `draft.updated` events and — for a draft proposed
 * in a chat answer — the `answer.continue` job, all in the caller's transaction `tx`.
 */
export async function settleDraft(
  deps: DraftDeps,
  tx: Database,
  emit: Emit,
  row: DraftRow,
  change: {
    status: FinalStatus;
    outcome: { code: string; message: string };
    /** Who made it final (the decider, the requester); null for the worker or the expiry job. */
    actorId: string | null;
    detail?: Record<string, unknown>;
  },
): Promise<DraftRow> {
  const now = deps.clock.now();
  const [updated] = await tx
    .update(drafts)
    .set({ status: change.status, outcome: change.outcome, updatedAt: now })
    .where(eq(drafts.id, row.id))
    .returning();
  await recordAudit(tx, {
    at: now,
    actorId: change.actorId,
    action: `draft.${change.status}`,
    target: draftAuditTarget(row.id),
    detail: { tool: row.tool, outcome: change.outcome.code, ...change.detail },
    requestId: null,
  });
  if (row.answerId) {
    await deps.queue.enqueue(
      tx,
      answerContinueQueue,
      { answerId: row.answerId, draftId: row.id },
      { key: `${row.answerId}:${row.id}` },
    );
  }
  // The expiry job has nothing left to do (unless it is the one settling the draft now).
  if (change.status !== 'expired') await deps.queue.cancelByKey(tx, expireQueue, row.id);
  await announceDraft(tx, emit, updated!);
  return updated!;
}

/**
 * Fails, in `tx`, every draft of the tools named `<prefix>…` that has not started running:
 * pending ones and approved ones the worker has not begun (`started_at` unset). Used when an
 * admin deletes an MCP server or points it elsewhere: approvals were given for a call to the
 * server as it was, never for whatever answers under its name now. Returns how many.
 */
export async function failUnstartedDraftsOf(
  deps: DraftDeps,
  tx: Database,
  emit: Emit,
  prefix: string,
  outcome: { code: string; message: string },
): Promise<number> {
  const rows = await tx
    .select()
    .from(drafts)
    .where(
      and(
        like(drafts.tool, likePrefix(prefix)),
        or(eq(drafts.status, 'pending'), and(eq(drafts.status, 'executing'), isNull(drafts.startedAt))),
      ),
    )
    .for('update');
  for (const row of rows) await settleDraft(deps, tx, emit, row, { status: 'failed', outcome, actorId: null });
  return rows.length;
}
