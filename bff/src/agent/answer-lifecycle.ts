import { type MessageStatus, runningMessageStatuses } from '@atrium/contracts';
import { and, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import { messageColumns, messageDeltaSeq, messageText, pendingDeltas } from '../chats/answer-text.js';
import { findChat, touchChat } from '../chats/repository.js';
import { excerpt, toChatView, toMessageView } from '../chats/views.js';
import type { Database } from '../db/index.js';
import { answerDeltas, type MessageRow, messages, users } from '../db/schema/index.js';
import { addCounts, type MaskCounts, type MaskPolicy, maskAnswerText } from '../guardrails/output-mask.js';
import { recordMaskCounts } from '../guardrails/record.js';
import { userChannel } from '../realtime/bus.js';
import {
  type DeltaBatchEvent,
  type Emit,
  type EventDeps,
  expandDeltaBatch,
  withEvents,
} from '../realtime/event-log.js';
import { mapJsonStrings, toStorableJson, toStorableText } from '../storable-text.js';

/*
 * The one owner of an answer's life (issue 10, docs/decisions.md "One owner for an answer's life").
 * Every status an answer takes is written here, each with its events in the transaction that
 * writes it; the generator, the chat service, the lease sweeper and the `answer.continue` job
 * ask for a move and get the row back, or null when the move is not allowed from where the
 * answer is now (someone else ended it first: whoever moves it first wins).
 */

export type AnswerStatus = MessageStatus;

/** Where an answer may go from each status. A move not listed is refused (null), never written. */
export const answerTransitions: Readonly<Record<AnswerStatus, readonly AnswerStatus[]>> = {
  pending: ['retrieving', 'failed', 'stopped', 'interrupted'],
  retrieving: ['streaming', 'calling_tool', 'complete', 'failed', 'stopped', 'interrupted'],
  streaming: ['streaming', 'calling_tool', 'awaiting_approval', 'complete', 'failed', 'stopped', 'interrupted'],
  calling_tool: ['calling_tool', 'streaming', 'awaiting_approval', 'complete', 'failed', 'stopped', 'interrupted'],
  // Not running: only the `answer.continue` job moves it on, once its drafts are settled.
  awaiting_approval: ['awaiting_approval', 'streaming', 'complete', 'failed'],
  complete: [],
  failed: [],
  stopped: [],
  interrupted: [],
};

const allStatuses = Object.keys(answerTransitions) as AnswerStatus[];

export const isRunning = (status: AnswerStatus): boolean =>
  (runningMessageStatuses as readonly string[]).includes(status);

export const canMove = (from: AnswerStatus, to: AnswerStatus): boolean => answerTransitions[from].includes(to);

/** The statuses an answer may be in to move to `to`. */
export const statusesBefore = (to: AnswerStatus): AnswerStatus[] => allStatuses.filter((from) => canMove(from, to));

/** What the chat list shows after a move: the answer's first words (preview), only a new time, or nothing. */
const chatAfter: Partial<Record<AnswerStatus, 'preview' | 'touch'>> = {
  complete: 'preview',
  failed: 'preview',
  awaiting_approval: 'preview',
  interrupted: 'touch',
};

const previewChars = 120;

export interface AnswerRef {
  userId: string;
  chatId: string;
  answerId: string;
}

/** The fields a move may write besides the status (the status, lease and time are the lifecycle's). */
export type AnswerPatch = Partial<
  Pick<
    MessageRow,
    | 'content'
    | 'mode'
    | 'model'
    | 'error'
    | 'citations'
    | 'invalidCitations'
    | 'promptTokens'
    | 'completionTokens'
    | 'costUsd'
    | 'steps'
  >
>;

export interface MoveClock {
  now: Date;
  /** A running status holds a lease this long (ms, ATRIUM_ANSWER_LEASE_MS); other statuses hold none. */
  leaseMs: number;
}

/**
 * Where a move may start, narrower than `answerTransitions`: `from` lists the only statuses the
 * caller accepts (those `answerTransitions` forbids towards `to` are dropped). A caller that must
 * be the one to take the answer out of a status names just that status, e.g. the continuation
 * after approval takes it `awaiting_approval → streaming` so that of two concurrent callers one
 * wins (`streaming → streaming` would otherwise let both through).
 */
export interface MoveOptions {
  from?: readonly AnswerStatus[];
  /** For the output guardrail: texts the asker may read (the answer's passages), see `MaskAsker.known`. */
  maskKnown?: readonly string[];
}

/**
 * Moves an answer to `to` inside the caller's transaction and emits what users see of it:
 * `message.updated` to the asker, and `chat.updated` when the chat list changes (see `chatAfter`).
 * The UPDATE names the statuses it may come from (`options.from`, else every status allowed to
 * move to `to`), so a concurrent move (stop, sweep, a second continuation) wins or loses
 * atomically. Returns the row, or null when the answer is gone or may not move there from its status.
 */
export async function moveAnswerIn(
  tx: Database,
  emit: Emit,
  ref: AnswerRef,
  to: AnswerStatus,
  at: MoveClock,
  patch: AnswerPatch = {},
  options: MoveOptions = {},
): Promise<MessageRow | null> {
  const from = options.from ? options.from.filter((status) => canMove(status, to)) : statusesBefore(to);
  if (from.length === 0) return null;
  const touch = chatAfter[to];
  // Lock order for a chat's rows: the chat, then its messages, then the user's event log (an
  // advisory lock), as posting a message, renaming and deleting a chat take them. Touching the
  // chat only after emitting deadlocked a sweep (or any final move) against a rename of its chat
  // (PostgreSQL aborts one of the two: a 500); found by nginx-topology.multi.test.ts.
  if (touch) await findChat(tx, ref.userId, ref.chatId, { lock: true });
  // Streamed text waits in answer_deltas while the answer runs; it is folded into `content` once,
  // when the answer comes to rest, or dropped when the move writes the whole text itself.
  const fold = !isRunning(to) || patch.content !== undefined;
  const [moved] = await tx
    .update(messages)
    .set({
      ...patch,
      // Steps carry what the model and tools sent: U+0000 or a lone surrogate would fail the
      // update (jsonb) and with it the answer, so they are stored repaired (storable-text.ts).
      ...(patch.steps ? { steps: toStorableJson(patch.steps) } : {}),
      ...(patch.content !== undefined ? { content: toStorableText(patch.content) } : {}),
      status: to,
      updatedAt: at.now,
      leaseUntil: isRunning(to) ? new Date(at.now.getTime() + at.leaseMs) : null,
    })
    .where(and(eq(messages.id, ref.answerId), eq(messages.role, 'assistant'), inArray(messages.status, from)))
    .returning(fold ? getTableColumns(messages) : messageColumns);
  if (!moved) return null;
  const row = fold ? await foldDeltas(tx, moved, patch.content === undefined) : moved;
  await emit.toUser(ref.userId, { type: 'message.updated', message: toMessageView(row) });
  if (touch) {
    const chat = await touchChat(tx, ref.chatId, {
      updatedAt: at.now,
      ...(touch === 'preview' ? { preview: excerpt(row.content, previewChars) } : {}),
    });
    if (chat) await emit.toUser(ref.userId, { type: 'chat.updated', chat: toChatView(chat) });
  }
  return row;
}

/**
 * Ends `answer`'s deltas: appended to its `content` in seq order when `keep` (else the move wrote
 * the whole text), then deleted. Runs after the move's UPDATE, in a statement of its own: the
 * answer's row is locked by then, so every delta a concurrent `appendText` committed is seen here
 * and no later one can be written (`appendText` locks the row first, and then finds it at rest).
 */
async function foldDeltas(tx: Database, answer: MessageRow, keep: boolean): Promise<MessageRow> {
  const [folded] = await tx
    .update(messages)
    .set({ ...(keep ? { content: messageText } : {}), deltaSeq: messageDeltaSeq })
    .where(and(eq(messages.id, answer.id), sql`${pendingDeltas} is not null`))
    .returning();
  if (!folded) return answer;
  await tx.delete(answerDeltas).where(eq(answerDeltas.messageId, answer.id));
  return folded;
}

/** The row of a new answer to `replyTo`: `pending` under a lease, so a crash before generation starts is swept as interrupted. */
export function pendingAnswerValues(
  at: MoveClock,
  /** `agentId`: the chat's agent when the answer was asked for; it writes the answer (recorded for usage). */
  input: { userId: string; chatId: string; replyTo: string; agentId: string },
) {
  return {
    ...input,
    role: 'assistant' as const,
    status: 'pending' as const,
    leaseUntil: new Date(at.now.getTime() + at.leaseMs),
    createdAt: at.now,
    updatedAt: at.now,
  };
}

/** Inserts a new answer (`pendingAnswerValues`) and returns its row. */
export async function insertPendingAnswer(
  tx: Database,
  at: MoveClock,
  input: { userId: string; chatId: string; replyTo: string; agentId: string },
): Promise<MessageRow> {
  const [row] = await tx.insert(messages).values(pendingAnswerValues(at, input)).returning();
  return row!;
}

/**
 * Deltas of one answer as the user's log stores them (one `message.deltas` row) and, expanded,
 * as streams show them (`message.delta` each): texts repaired for storage (`toStorableText`), so
 * the live copy and the logged copy of a delta are the same text.
 */
function deltaBatch(ref: AnswerRef, deltas: readonly { seq: number; text: string }[]): DeltaBatchEvent {
  return {
    type: 'message.deltas',
    chatId: ref.chatId,
    messageId: ref.answerId,
    deltas: deltas.map((delta) => ({ seq: delta.seq, text: toStorableText(delta.text) })),
  };
}

export interface AnswerLifecycle {
  /** `moveAnswerIn` in a transaction of its own (`options.from`: only from these statuses). */
  move(ref: AnswerRef, to: AnswerStatus, patch?: AnswerPatch, options?: MoveOptions): Promise<MessageRow | null>;
  /**
   * Shows delta `seq` to the user's streams at once, as a live (unlogged) `message.delta` on the
   * bus (issue 12, docs/decisions.md "Two cadences for a streamed answer"). Writes nothing: the
   * same delta is stored later by `appendDeltas`, whose logged copy a stream that sent it live
   * turns into a cursor-only frame (sse.ts). The text is repaired as `appendDeltas` stores it.
   */
  showDelta(ref: AnswerRef, seq: number, text: string): Promise<void>;
  /**
   * Stores a batch of streamed deltas (ascending seqs, non-empty) in ONE transaction: one
   * answer_deltas row holding the pieces joined (seq = the batch's last; readers fold rows in seq
   * order and take the highest as `deltaSeq`, answer-text.ts) and one `message.deltas` row in the
   * user's log holding each delta (withEvents; the event stream expands it into the deltas' own
   * `message.delta` events, sse.ts). Moves the answer to `streaming` when it
   * is not yet. Only from a running status: false (nothing written) when the answer no longer runs
   * (stopped, swept, deleted). Texts are stored repaired (`toStorableText`).
   */
  appendDeltas(ref: AnswerRef, deltas: readonly { seq: number; text: string }[]): Promise<boolean>;
  /** `appendDeltas` with one delta. */
  appendText(ref: AnswerRef, text: string, seq: number): Promise<boolean>;
  /** Extends a running answer's lease by `leaseMs` from now; a no-op once it stopped running. */
  renewLease(answerId: string): Promise<void>;
  /**
   * A stopped answer's estimated usage (the stream was cut, the provider never said), written
   * once: only while the answer is `stopped` and has none yet, with `tail` (already masked text
   * of deltas refused after the stop) appended to its content and `deltaSeq` raised to `tailSeq`
   * (the last of those deltas), so `deltaSeq` still names the last delta the content holds.
   * Emits `message.updated`.
   */
  recordStoppedUsage(
    ref: AnswerRef,
    usage: { promptTokens: number; completionTokens: number; costUsd: number | null },
    tail?: string,
    tailSeq?: number | null,
  ): Promise<MessageRow | null>;
}

/**
 * The output guardrail at storage (issue 10 item 5): `patch.content` masked by `maskAnswerText`
 * (the asker's own email kept), and the counts recorded (`recordMaskCounts`, audit
 * `guardrail.triggered` + `guardrail_counts`) in the transaction of the move, only when it moved.
 */
async function moveMasked(
  tx: Database,
  emit: Emit,
  ref: AnswerRef,
  to: AnswerStatus,
  at: MoveClock,
  patch: AnswerPatch,
  policy: MaskPolicy,
  options: MoveOptions,
): Promise<MessageRow | null> {
  if (patch.content === undefined && patch.steps === undefined)
    return moveAnswerIn(tx, emit, ref, to, at, patch, options);
  const [asker] = await tx.select({ email: users.email }).from(users).where(eq(users.id, ref.userId));
  const askerMask = { email: asker?.email ?? null, known: options.maskKnown ?? [] };
  const counts: MaskCounts = {};
  const mask = (text: string) => {
    const masked = maskAnswerText(text, policy, askerMask);
    addCounts(counts, masked.counts);
    return masked.text;
  };
  const masked: AnswerPatch = { ...patch };
  if (patch.content !== undefined) masked.content = mask(patch.content);
  // A step's short result and arguments are shown in the answer too: a ticket another person
  // wrote, read by a tool, may hold their email or a card number.
  if (patch.steps !== undefined) {
    // Each move carries every step so far: a step already stored as it is now was counted then.
    const [stored] = await tx.select({ steps: messages.steps }).from(messages).where(eq(messages.id, ref.answerId));
    const before = new Map((stored?.steps ?? []).map((step) => [step.id, stableJson(step)]));
    masked.steps = patch.steps.map((step) => {
      const stepCounts: MaskCounts = {};
      const maskStep = (text: string) => {
        const one = maskAnswerText(text, policy, askerMask);
        addCounts(stepCounts, one.counts);
        return one.text;
      };
      const shown = {
        ...step,
        arguments: mapJsonStrings(step.arguments, maskStep),
        summary: step.summary === null ? null : maskStep(step.summary),
      };
      if (before.get(step.id) !== stableJson(toStorableJson(shown))) addCounts(counts, stepCounts);
      return shown;
    });
  }
  const row = await moveAnswerIn(tx, emit, ref, to, at, masked, options);
  if (row) {
    await recordMaskCounts(tx, counts, { at: at.now, actorId: ref.userId, target: `message:${ref.answerId}` });
  }
  return row;
}

/** JSON with object keys sorted: jsonb hands keys back in its own order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/**
 * The lifecycle over `deps.db`. With `mask`, every move that writes `content` stores it masked
 * and counts what was masked in the same transaction (streamed deltas are masked before they
 * reach `appendText`, by the agent's stream masker).
 */
export function createAnswerLifecycle(
  deps: EventDeps & { leaseMs: number; mask?: MaskPolicy | null },
): AnswerLifecycle {
  const at = (): MoveClock => ({ now: deps.clock.now(), leaseMs: deps.leaseMs });
  const running = [...runningMessageStatuses];
  const mask = deps.mask ?? null;
  const appendFrom = running.filter((from) => canMove(from, 'streaming'));
  return {
    move: (ref, to, patch = {}, options = {}) =>
      withEvents(deps, (tx, emit) =>
        mask
          ? moveMasked(tx, emit, ref, to, at(), patch, mask, options)
          : moveAnswerIn(tx, emit, ref, to, at(), patch, options),
      ),
    async showDelta(ref, seq, text) {
      const [event] = expandDeltaBatch(deltaBatch(ref, [{ seq, text }]));
      await deps.bus.publish(userChannel(ref.userId), { kind: 'live-event', userId: ref.userId, event: event! });
    },
    appendDeltas(ref, deltas) {
      if (deltas.length === 0) return Promise.resolve(true);
      return withEvents(deps, async (tx, emit) => {
        // The deltas are rows of their own: neither the stored text nor the answer's row is
        // rewritten per delta (issue 12: `content || text` rewrote the whole TOASTed text each
        // time, and any UPDATE of the row writes a new version of it and of its indexes). The
        // share lock orders the batch before a concurrent move, which waits for it and then folds
        // it (foldDeltas); after that move the answer no longer runs here and the batch is refused.
        const [row] = await tx
          .select({ status: messages.status })
          .from(messages)
          .where(and(eq(messages.id, ref.answerId), inArray(messages.status, appendFrom)))
          .for('share');
        if (!row) return false;
        if (row.status !== 'streaming') {
          const now = at();
          await tx
            .update(messages)
            .set({ status: 'streaming', updatedAt: now.now, leaseUntil: new Date(now.now.getTime() + now.leaseMs) })
            .where(eq(messages.id, ref.answerId));
        }
        const batch = deltaBatch(ref, deltas);
        await tx.insert(answerDeltas).values({
          messageId: ref.answerId,
          seq: batch.deltas.at(-1)!.seq,
          text: batch.deltas.map((delta) => delta.text).join(''),
        });
        await emit.toUser(ref.userId, batch);
        return true;
      });
    },
    appendText(ref, text, seq) {
      return this.appendDeltas(ref, [{ seq, text }]);
    },
    async renewLease(answerId) {
      const now = at();
      await deps.db
        .update(messages)
        .set({ leaseUntil: new Date(now.now.getTime() + now.leaseMs) })
        .where(and(eq(messages.id, answerId), inArray(messages.status, running)));
    },
    recordStoppedUsage(ref, usage, tail = '', tailSeq = null) {
      return withEvents(deps, async (tx, emit) => {
        const [row] = await tx
          .update(messages)
          .set({
            ...usage,
            ...(tail ? { content: sql`${messages.content} || ${tail}` } : {}),
            // greatest() skips a null deltaSeq (no delta stored before the stop).
            ...(tailSeq !== null ? { deltaSeq: sql`greatest(${messages.deltaSeq}, ${tailSeq}::int)` } : {}),
          })
          .where(and(eq(messages.id, ref.answerId), eq(messages.status, 'stopped'), isNull(messages.promptTokens)))
          .returning();
        if (row) await emit.toUser(ref.userId, { type: 'message.updated', message: toMessageView(row) });
        return row ?? null;
      });
    },
  };
}
