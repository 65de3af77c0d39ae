import { defaultApprovals } from '@atrium/contracts';
import { and, count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit/audit-log.js';
import type { Database } from '../db/index.js';
import { auditLog } from '../db/schema/index.js';
import type { AnyTool, ToolDefinition } from '../tools/tool.js';
import { createSmallToolGate } from './small-tool-gate.js';

/*
 * Two small tools for draft tests until the real built-ins land: a transactional one that
 * writes a row through the transaction it is given, and a non-transactional "HTTP-ish" one that
 * counts its calls in memory and can be held mid-call, as a remote system would be.
 */

const noteInput = z.object({ text: z.string().min(1).max(200) });

/** `write_note` (risk `low`, transactional): writes one audit row `test.note` per run. */
export const writeNoteTool: ToolDefinition<z.infer<typeof noteInput>, { ok: true }> = {
  name: 'write_note',
  description: 'Writes a note.',
  kind: 'builtin',
  input: noteInput,
  output: z.object({ ok: z.literal(true) }),
  risk: 'low',
  timeoutMs: 5_000,
  idempotent: false,
  maxRetries: 0,
  roles: ['user', 'agent_l1', 'agent_l2', 'admin'],
  approvals: defaultApprovals.low,
  transactional: true,
  describe: (input) => `Write the note “${input.text}”.`,
  summarize: () => 'Note written.',
  async run(input, context) {
    await recordAudit(context.db, {
      at: new Date(),
      actorId: context.caller.userId,
      action: 'test.note',
      target: context.idempotencyKey,
      detail: { text: input.text },
      requestId: null,
    });
    return { ok: true };
  },
};

/** How many `test.note` rows `write_note` left (for draft `draftId` when given). */
export async function countNotes(db: Database, draftId?: string): Promise<number> {
  const conditions = [eq(auditLog.action, 'test.note')];
  if (draftId) conditions.push(eq(auditLog.target, draftId));
  const [row] = await db
    .select({ n: count() })
    .from(auditLog)
    .where(and(...conditions));
  return Number(row?.n ?? 0);
}

/** A non-transactional `high`-risk tool whose calls are counted; `hold` makes the next call wait until released. */
export function createRemoteTool() {
  const calls: { amount: number; idempotencyKey: string | null }[] = [];
  let held: { released: Promise<void>; release: () => void } | null = null;
  let started: (() => void) | null = null;
  const input = z.object({ amount: z.number().int().positive().max(50_000) });
  const tool: ToolDefinition<z.infer<typeof input>, { id: string }> = {
    name: 'remote_refund',
    description: 'Refunds through a remote system.',
    kind: 'http',
    input,
    output: z.object({ id: z.string() }),
    risk: 'high',
    timeoutMs: 5_000,
    idempotent: false,
    maxRetries: 0,
    roles: ['agent_l2', 'admin'],
    approvals: defaultApprovals.high,
    transactional: false,
    describe: (i) => `Refund ${i.amount} cents.`,
    summarize: (o) => `Refund ${o.id} issued.`,
    async run(i, context) {
      calls.push({ amount: i.amount, idempotencyKey: context.idempotencyKey });
      started?.();
      if (held) await held.released;
      return { id: `r-${calls.length}` };
    },
  };
  return {
    tool,
    calls,
    /** The next calls wait until `release()`; resolves `started` when one has begun. */
    hold() {
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const begun = new Promise<void>((resolve) => {
        started = resolve;
      });
      held = { released, release };
      return {
        started: begun,
        release: () => {
          held = null;
          release();
        },
      };
    },
  };
}

/** A gate over a fixed list of tools, for what drafts need of it (`get`). */
export const lookupOf = (tools: readonly AnyTool[]) => createSmallToolGate([{ tools: async () => [...tools] }]);
