import { eq } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import type { DraftRow } from '../db/schema/index.js';
import { drafts } from '../db/schema/index.js';
import type { JobError } from '../jobs/queue.js';
import type { JobHandler } from '../jobs/worker.js';
import type { Logger } from '../logger.js';
import { inSpan } from '../observability/tracing.js';
import { type Emit, withEvents } from '../realtime/event-log.js';
import { recordToolCall } from '../tools/call-stats.js';
import type { AnyTool, ToolCaller, ToolGate } from '../tools/tool.js';
import { currentRole, findVisibleDraft } from './repository.js';
import { type DraftDeps, settleDraft } from './settle.js';

/** Where the worker finds a draft's tool by name, enabled or not (the gate's `get`). */
export type ToolLookup = Pick<ToolGate, 'get'>;

/** How an execution ended; `durationMs` is set when the tool was called (it then counts in the tool's statistics). */
type Outcome = ({ ok: true; summary: string } | { ok: false; code: string; message: string }) & { durationMs?: number };

const outcomeUnknown = {
  code: 'draft.outcome_unknown',
  message:
    'The worker stopped while calling the tool, so whether it took effect is unknown. It was not called again; check the system it acts on.',
};

const codeOf = (error: unknown, fallback: string) => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : fallback;
};
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

/** Runs the tool once with its timeout (ms, `tool.timeoutMs`) folded into `signal`, validating what it returns. */
async function runOnce(
  tool: AnyTool,
  input: unknown,
  db: Database,
  caller: ToolCaller,
  signal: AbortSignal,
  key: string,
) {
  const timeout = AbortSignal.timeout(tool.timeoutMs);
  try {
    const output = await tool.run(input, {
      db,
      caller,
      signal: AbortSignal.any([signal, timeout]),
      idempotencyKey: key,
    });
    return tool.summarize(tool.output.parse(output)).slice(0, 500);
  } catch (error) {
    if (timeout.aborted) {
      throw Object.assign(new Error(`No answer within ${tool.timeoutMs} ms; it may or may not have taken effect.`), {
        code: 'tool.timeout',
      });
    }
    throw error;
  }
}

/**
 * The `draft.execute` job (key: the draft id), enqueued with the last approval. Under the
 * draft's row lock it re-checks what may have changed since the proposal — the tool still
 * exists, the requester still holds one of its roles (read fresh), the stored arguments still
 * validate — and then:
 * - a `transactional` tool runs inside the transaction that records `executed` (a savepoint
 *   keeps a tool error apart from the record): a crash between the run and the record rolls
 *   both back, and the row lock keeps a second delivery waiting until the first is settled —
 *   exactly once;
 * - any other tool (HTTP, MCP) first gets `started_at` committed, then runs outside the
 *   transaction with `idempotencyKey` = the draft id; a delivery that finds `started_at` set
 *   (the previous worker died mid-call) records `failed` `draft.outcome_unknown` instead of
 *   calling again — at most once.
 * Every final state goes through `settleDraft` (audit, events, `answer.continue`).
 */
export function executeJobHandler(
  deps: DraftDeps & { tools: ToolLookup; logger: Logger },
): JobHandler<{ draftId: string }> {
  const settle = async (tx: Database, emit: Emit, row: DraftRow, outcome: Outcome) => {
    if (outcome.durationMs !== undefined) {
      // The admin Tools page counts executed drafts like read calls: the worker ran the tool.
      await recordToolCall(tx, {
        tool: row.tool,
        callerId: row.requesterId,
        outcome: outcome.ok ? 'result' : 'failed',
        code: outcome.ok ? null : outcome.code,
        durationMs: outcome.durationMs,
        at: deps.clock.now(),
      });
    }
    await settleDraft(deps, tx, emit, row, {
      status: outcome.ok ? 'executed' : 'failed',
      outcome: outcome.ok
        ? { code: 'draft.executed', message: outcome.summary }
        : { code: outcome.code, message: outcome.message },
      actorId: null,
    });
  };

  type Prepared =
    | { kind: 'settled' }
    | { kind: 'call'; tool: AnyTool; input: unknown; caller: ToolCaller; row: DraftRow };

  const run: JobHandler<{ draftId: string }>['run'] = async (job, { signal }) => {
    const draftId = job.payload.draftId;
    // Looked up before the transaction: the registry reads its sources (HTTP tools, MCP servers)
    // through the database, which on the embedded driver is one connection that the transaction holds.
    const named = await findVisibleDraft(deps.db, null, draftId);
    const found = named ? await deps.tools.get(named.tool) : null;
    const prepared = await withEvents(deps, async (tx, emit): Promise<Prepared> => {
      const row = await findVisibleDraft(tx, null, draftId, { lock: true });
      if (row?.status !== 'executing') return { kind: 'settled' };
      const fail = async (code: string, message: string): Promise<Prepared> => {
        await settle(tx, emit, row, { ok: false, code, message });
        return { kind: 'settled' };
      };
      if (row.startedAt) return fail(outcomeUnknown.code, outcomeUnknown.message);
      const tool = found;
      if (!tool) return fail('draft.tool_unavailable', `The tool ${row.tool} is no longer available.`);
      const role = await currentRole(tx, row.requesterId);
      if (!role || !tool.roles.includes(role)) {
        return fail('draft.requester_not_allowed', 'The requester no longer holds a role that may use this tool.');
      }
      // The risk an admin assigns may have risen since the proposal (an MCP tool marked high or
      // critical): approvals given for the old risk do not cover it.
      if (tool.approvals === null || tool.risk === 'critical' || tool.approvals.length > row.levels.length) {
        return fail(
          'draft.risk_changed',
          `The tool's risk is now ${tool.risk}; the approvals given no longer cover it. Propose it again.`,
        );
      }
      const parsed = tool.input.safeParse(row.arguments);
      if (!parsed.success) {
        return fail('tool.invalid_arguments', 'The stored arguments no longer fit the tool’s input schema.');
      }
      const caller: ToolCaller = { userId: row.requesterId, role };
      if (!tool.transactional) {
        await tx.update(drafts).set({ startedAt: deps.clock.now() }).where(eq(drafts.id, row.id));
        return { kind: 'call', tool, input: parsed.data, caller, row };
      }
      let outcome: Outcome;
      const started = performance.now();
      try {
        const summary = await tx.transaction((savepoint) =>
          runOnce(tool, parsed.data, savepoint, caller, signal, row.id),
        );
        outcome = { ok: true, summary };
      } catch (error) {
        outcome = { ok: false, code: codeOf(error, 'tool.failed'), message: messageOf(error) };
      }
      outcome.durationMs = Math.round(performance.now() - started);
      // This worker lost the job (its lease ran out): commit nothing; the next delivery runs it in its own transaction.
      if (signal.aborted) throw new Error('job lease lost before the execution was recorded');
      await settle(tx, emit, row, outcome);
      return { kind: 'settled' };
    });
    if (prepared.kind === 'settled') return;

    const { tool, input, caller, row } = prepared;
    let outcome: Outcome;
    const started = performance.now();
    try {
      outcome = { ok: true, summary: await runOnce(tool, input, deps.db, caller, signal, row.id) };
    } catch (error) {
      outcome = signal.aborted
        ? { ok: false, ...outcomeUnknown }
        : { ok: false, code: codeOf(error, 'tool.failed'), message: messageOf(error) };
    }
    outcome.durationMs = Math.round(performance.now() - started);
    // Recorded even after a lost lease: it did run. Whoever settled the draft first wins; the rest see it settled.
    await withEvents(deps, async (tx, emit) => {
      const current = await findVisibleDraft(tx, null, draftId, { lock: true });
      if (current?.status === 'executing') await settle(tx, emit, current, outcome);
    });
  };

  return {
    /** In an `approval execute` span: the tool a person approved, run by the worker. */
    run: (job, context) =>
      inSpan('approval execute', { 'atrium.draft.id': job.payload.draftId }, () => run(job, context)),

    async onDead(job, error: JobError) {
      const draftId = (job.payload as { draftId?: string }).draftId;
      if (!draftId) return;
      await withEvents(deps, async (tx, emit) => {
        const row = await findVisibleDraft(tx, null, draftId, { lock: true });
        if (row?.status !== 'executing') return;
        const outcome = row.startedAt
          ? { ok: false as const, ...outcomeUnknown }
          : { ok: false as const, code: 'draft.execution_failed', message: `It could not be run: ${error.message}` };
        await settle(tx, emit, row, outcome);
      });
      deps.logger.warn('draft execution dead', { draftId, error });
    },
  };
}
