import { type Draft, toolAuditTarget } from '@atrium/contracts';
import type { z } from 'zod';
import { injectionSignals } from '../agent/injection-signals.js';
import { recordAudit } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/index.js';
import { AppError } from '../errors.js';
import { countGuardrail, recordGuardrail } from '../guardrails/record.js';
import type { Logger } from '../logger.js';
import { isStorableJson, toStorableText } from '../storable-text.js';
import { recordToolCall } from './call-stats.js';
import type { ToolRegistry } from './registry.js';
import { runTool } from './run-tool.js';
import type { AnyTool, DraftProposer, ToolCaller, ToolCallOrigin, ToolCallOutcome, ToolGate } from './tool.js';

export interface ToolGateDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  registry: ToolRegistry;
  /** Turns an allowed write into a draft (bff/src/drafts/proposer.ts). */
  proposer: DraftProposer;
}

/** Whether the agent (chat or /mcp) may ever use `tool`: not `critical`, and some approval path exists. */
const agentMayUse = (tool: AnyTool) => tool.risk !== 'critical' && tool.approvals !== null;

const isEnabled = (tool: AnyTool) => tool.enabled !== false;

const viaOf = (origin: ToolCallOrigin) => origin.via;

/**
 * The one gate every tool call passes (issue 10; the interface and its order in tool.ts):
 * 1. unknown or disabled tool → refused `tool.unknown`;
 * 2. arguments not JSON or failing the input schema → refused `tool.invalid_arguments`;
 * 3. the caller's role not in `tool.roles` → refused `tool.forbidden`;
 * 4. `critical` risk or no approvals → refused `tool.needs_person`;
 * 5. `read` → run now as the caller (timeout, retries when idempotent) → `result` | `failed`,
 *    the output checked for prompt-injection signals (flagged: returned all the same, to be quoted,
 *    and audited `guardrail.triggered` layer input, kind tool_result);
 * 6. otherwise → the tool's `precheck` (a refusal keeps its code, e.g. `ticket.not_found`), then
 *    `proposer.propose` → `drafted`.
 * Every outcome is counted in `tool_calls`; runs are audited `tool.called`, refusals `tool.refused`.
 * Order matters: a caller learns nothing about a tool's arguments before the tool exists for
 * them, and role is checked after validation so the model is told what a valid call looks like
 * only for tools it was offered.
 */
export function createToolGate(deps: ToolGateDeps): ToolGate {
  const { db, clock, registry, proposer } = deps;

  async function refuse(
    caller: ToolCaller,
    name: string,
    origin: ToolCallOrigin,
    code: string,
    message: string,
  ): Promise<ToolCallOutcome> {
    await db.transaction(async (tx) => {
      await recordToolCall(tx, {
        tool: toStorableText(name).slice(0, 100),
        callerId: caller.userId,
        outcome: 'refused',
        code,
        durationMs: 0,
        at: clock.now(),
      });
      await recordAudit(tx, {
        at: clock.now(),
        actorId: caller.userId,
        action: 'tool.refused',
        target: toolAuditTarget(toStorableText(name).slice(0, 100)),
        detail: { code, via: viaOf(origin) },
        requestId: null,
      });
      // The tool layer of the guardrails: every refusal (risk gate, role, argument limits) is counted.
      await countGuardrail(tx, { layer: 'tool', kind: code, count: 1, day: clock.now().toISOString().slice(0, 10) });
    });
    return { kind: 'refused', code, message };
  }

  async function runRead(
    tool: AnyTool,
    input: unknown,
    caller: ToolCaller,
    origin: ToolCallOrigin,
    signal: AbortSignal,
  ): Promise<ToolCallOutcome> {
    const run = await runTool(tool, input, { db, caller, signal, idempotencyKey: null });
    const signals = run.ok ? injectionSignals(JSON.stringify(run.output)) : [];
    await db.transaction(async (tx) => {
      const at = clock.now();
      await recordToolCall(tx, {
        tool: tool.name,
        callerId: caller.userId,
        outcome: run.ok ? 'result' : 'failed',
        code: run.ok ? null : run.code,
        durationMs: run.durationMs,
        at,
      });
      await recordAudit(tx, {
        at,
        actorId: caller.userId,
        action: 'tool.called',
        target: toolAuditTarget(tool.name),
        detail: {
          outcome: run.ok ? 'result' : 'failed',
          code: run.ok ? null : run.code,
          durationMs: run.durationMs,
          via: viaOf(origin),
        },
        requestId: null,
      });
      await recordGuardrail(tx, {
        layer: 'input',
        kind: 'tool_result',
        count: signals.length,
        at,
        actorId: caller.userId,
        target: toolAuditTarget(tool.name),
        detail: { signals },
      });
    });
    if (!run.ok) return { kind: 'failed', code: run.code, message: run.message, durationMs: run.durationMs };
    return {
      kind: 'result',
      output: run.output,
      summary: tool.summarize(run.output).slice(0, 300),
      durationMs: run.durationMs,
      injectionSignals: signals,
    };
  }

  async function propose(
    tool: AnyTool,
    input: unknown,
    caller: ToolCaller,
    origin: ToolCallOrigin,
    signal: AbortSignal,
  ): Promise<ToolCallOutcome> {
    try {
      await tool.precheck?.(input, { db, caller, signal });
    } catch (error) {
      if (error instanceof AppError) return refuse(caller, tool.name, origin, error.code, error.message);
      throw error;
    }
    let draft: Draft;
    try {
      draft = await proposer.propose({ tool, input, caller, origin });
    } catch (error) {
      if (error instanceof AppError) return refuse(caller, tool.name, origin, error.code, error.message);
      throw error;
    }
    await recordToolCall(db, {
      tool: tool.name,
      callerId: caller.userId,
      outcome: 'drafted',
      code: null,
      durationMs: 0,
      at: clock.now(),
    });
    return { kind: 'drafted', draft };
  }

  return {
    toolsFor: async (caller) =>
      (await registry.all()).filter((t) => isEnabled(t) && agentMayUse(t) && t.roles.includes(caller.role)),

    get: (name) => registry.get(name),

    async call(caller, name, rawArguments, origin, signal) {
      const tool = await registry.get(name);
      if (!tool || !isEnabled(tool))
        return refuse(caller, name, origin, 'tool.unknown', `There is no tool named "${name}".`);
      const parsedJson = parseArguments(rawArguments);
      if (!parsedJson.ok) {
        return refuse(caller, tool.name, origin, 'tool.invalid_arguments', 'The arguments are not valid JSON.');
      }
      if (!isStorableJson(parsedJson.value)) {
        // U+0000 or an unpaired surrogate: no text or jsonb column can hold it (storable-text.ts).
        return refuse(
          caller,
          tool.name,
          origin,
          'tool.invalid_arguments',
          'The arguments contain characters that cannot be stored (U+0000 or an unpaired surrogate).',
        );
      }
      const parsed = tool.input.safeParse(parsedJson.value);
      if (!parsed.success) {
        return refuse(caller, tool.name, origin, 'tool.invalid_arguments', describeIssues(parsed.error));
      }
      if (!tool.roles.includes(caller.role)) {
        return refuse(
          caller,
          tool.name,
          origin,
          'tool.forbidden',
          `Your role (${caller.role}) may not use ${tool.name}.`,
        );
      }
      if (!agentMayUse(tool)) {
        return refuse(
          caller,
          tool.name,
          origin,
          'tool.needs_person',
          `${tool.name} can only be done by a person, outside the assistant.`,
        );
      }
      if (tool.risk === 'read') return runRead(tool, parsed.data, caller, origin, signal);
      return propose(tool, parsed.data, caller, origin, signal);
    },
  };
}

/** The model sends a JSON string; an MCP client sends an object. Empty or absent arguments are `{}`. */
function parseArguments(raw: unknown): { ok: true; value: unknown } | { ok: false } {
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: {} };
  if (typeof raw !== 'string') return { ok: true, value: raw };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

/** The schema's complaints in one line the model can act on: `amountCents: at most 50000 cents`. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
