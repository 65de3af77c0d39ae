import { type Draft, draftAuditTarget } from '@atrium/contracts';
import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/audit-log.js';
import type { Database } from '../db/index.js';
import { type DraftRow, draftDecisions, drafts } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { type Emit, withEvents } from '../realtime/event-log.js';
import { type DraftReader, draftView, findVisibleDraft } from './repository.js';
import { announceDraft, type DraftDeps, executeQueue, expireQueue, settleDraft } from './settle.js';

/** Who acts: their id and role as stored now, and the request id the audit log records. */
export interface DraftActor extends DraftReader {
  requestId: string | null;
}

const notFound = () => new AppError('draft.not_found', 404, 'No such draft.');
const notPending = (row: DraftRow) =>
  new AppError('draft.not_pending', 409, `The draft is ${row.status}; it no longer waits for a decision.`);
const expired = () => new AppError('draft.expired', 409, 'The draft expired before it was decided.');

/** The outcome a requester reads when their draft expired. */
export const expiredOutcome = {
  code: 'draft.expired',
  message: 'Nobody decided in time, so it expired without running. Ask again if it is still needed.',
};

/**
 * Locks the draft (`FOR UPDATE`) and runs `work` when it is still pending; a pending draft past
 * its `expiresAt` is expired there and then, and the caller gets 409 `draft.expired`. 404
 * `draft.not_found` when `actor` may not see it, 409 `draft.not_pending` when it is settled
 * or executing. The whole check-and-change happens under the lock, so two people acting at
 * once are serialised: the second sees what the first did.
 */
async function withPendingDraft<T>(
  deps: DraftDeps,
  actor: DraftActor,
  draftId: string,
  work: (tx: Database, emit: Emit, row: DraftRow) => Promise<T>,
): Promise<T> {
  const result = await withEvents(deps, async (tx, emit) => {
    const row = await findVisibleDraft(tx, actor, draftId, { lock: true });
    if (!row) throw notFound();
    if (row.status !== 'pending') throw notPending(row);
    if (row.expiresAt.getTime() <= deps.clock.now().getTime()) {
      await settleDraft(deps, tx, emit, row, { status: 'expired', outcome: expiredOutcome, actorId: null });
      return { expired: true } as const;
    }
    return { expired: false, value: await work(tx, emit, row) } as const;
  });
  if (result.expired) throw expired();
  return result.value;
}

/**
 * The level waiting for a decision and whether `actor` may give it (issue 10): levels in
 * order; nobody decides their own draft (403 `draft.own_request`); nobody gives two levels (409
 * `draft.already_decided`); the actor's role must be one the level names (403 `draft.wrong_level`).
 */
async function nextLevelFor(tx: Database, actor: DraftActor, row: DraftRow): Promise<number> {
  if (row.requesterId === actor.userId) {
    throw new AppError('draft.own_request', 403, 'Nobody decides their own request.');
  }
  const given = await tx
    .select({ level: draftDecisions.level, actorId: draftDecisions.actorId })
    .from(draftDecisions)
    .where(eq(draftDecisions.draftId, row.id));
  if (given.some((d) => d.actorId === actor.userId)) {
    throw new AppError(
      'draft.already_decided',
      409,
      'You already gave a level of this draft; another person gives the next.',
    );
  }
  const level = given.length;
  const roles = row.levels[level]?.roles ?? [];
  if (!roles.includes(actor.role)) {
    throw new AppError('draft.wrong_level', 403, `The next level waits for: ${roles.join(', ')}.`);
  }
  return level;
}

async function recordDecision(
  deps: DraftDeps,
  tx: Database,
  actor: DraftActor,
  row: DraftRow,
  level: number,
  approve: boolean,
  reason: string | null,
) {
  const now = deps.clock.now();
  await tx.insert(draftDecisions).values({ draftId: row.id, level, actorId: actor.userId, approve, reason, at: now });
  if (approve) {
    // A rejection is audited by settleDraft as draft.rejected; an approval here.
    await recordAudit(tx, {
      at: now,
      actorId: actor.userId,
      action: 'draft.approved',
      target: draftAuditTarget(row.id),
      detail: { tool: row.tool, level: level + 1, of: row.levels.length },
      requestId: actor.requestId,
    });
  }
}

/**
 * Approves the level waiting for `actor` (rules: `nextLevelFor`, `withPendingDraft`). The last
 * level's approval turns the draft `executing` and enqueues its `draft.execute` job (key: the
 * draft id) in the same transaction, so two approvals at once give one job; the worker is woken
 * after commit. Returns the draft as it is now.
 */
export async function approveDraft(
  deps: DraftDeps,
  actor: DraftActor,
  draftId: string,
  reason: string | null = null,
): Promise<Draft> {
  const result = await withPendingDraft(deps, actor, draftId, async (tx, emit, row) => {
    const level = await nextLevelFor(tx, actor, row);
    await recordDecision(deps, tx, actor, row, level, true, reason || null);
    const last = level === row.levels.length - 1;
    const [updated] = await tx
      .update(drafts)
      .set({ status: last ? 'executing' : 'pending', updatedAt: deps.clock.now() })
      .where(eq(drafts.id, row.id))
      .returning();
    if (last) {
      await deps.queue.enqueue(tx, executeQueue, { draftId: row.id }, { key: row.id });
      await deps.queue.cancelByKey(tx, expireQueue, row.id);
    }
    await announceDraft(tx, emit, updated!);
    return { draft: await draftView(tx, updated!), last };
  });
  if (result.last) deps.wakeWorker();
  return result.draft;
}

/**
 * Rejects the draft at the level waiting for `actor` with a reason (required: the requester is
 * told why; 400 `request.invalid` when blank). Final: `rejected`, outcome `draft.rejected` with
 * the reason, `answer.continue` for a chat draft. Same rules as `approveDraft`.
 */
export async function rejectDraft(deps: DraftDeps, actor: DraftActor, draftId: string, reason: string): Promise<Draft> {
  const why = reason.trim();
  if (!why) {
    throw new AppError('request.invalid', 400, 'The request is invalid.', [
      { path: 'reason', message: 'say why, so the requester knows' },
    ]);
  }
  return withPendingDraft(deps, actor, draftId, async (tx, emit, row) => {
    const level = await nextLevelFor(tx, actor, row);
    await recordDecision(deps, tx, actor, row, level, false, why);
    const updated = await settleDraft(deps, tx, emit, row, {
      status: 'rejected',
      outcome: { code: 'draft.rejected', message: why },
      actorId: actor.userId,
      detail: { level: level + 1 },
    });
    return draftView(tx, updated);
  });
}

/** The requester takes back a pending draft (403 `draft.not_requester` for anyone else who may see it). Final: `withdrawn`. */
export async function withdrawDraft(deps: DraftDeps, actor: DraftActor, draftId: string): Promise<Draft> {
  return withPendingDraft(deps, actor, draftId, async (tx, emit, row) => {
    if (row.requesterId !== actor.userId) {
      throw new AppError('draft.not_requester', 403, 'Only the person who asked can withdraw it.');
    }
    const updated = await settleDraft(deps, tx, emit, row, {
      status: 'withdrawn',
      outcome: { code: 'draft.withdrawn', message: 'Withdrawn by the requester before it ran.' },
      actorId: actor.userId,
    });
    return draftView(tx, updated);
  });
}

/** The draft as `reader` sees it; 404 `draft.not_found` when it does not exist or they may not see it. */
export async function readDraft(db: Database, reader: DraftReader, draftId: string): Promise<Draft> {
  const row = await findVisibleDraft(db, reader, draftId);
  if (!row) throw notFound();
  return draftView(db, row);
}
