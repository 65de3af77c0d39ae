import type { ApprovalLevel, Draft, Role, ToolKind, ToolRisk } from '@atrium/contracts';
import type { z } from 'zod';
import type { Database } from '../db/index.js';

/*
 * The shapes every part of the agent's tool use shares (issue 10): the registry declares tools,
 * the gate decides run-now / draft / refuse, drafts wait for people, the worker executes
 * approved drafts once. Chat (the agent loop) and /mcp both go through the same gate.
 */

/** Who calls a tool. Read tools run with exactly this caller's permissions, never more. */
export interface ToolCaller {
  userId: string;
  /** The caller's role as stored now (read per call, so a role taken away stops at once). */
  role: Role;
}

export interface ToolRunContext {
  /** The database, or the transaction the call runs in (built-in writes run inside the transaction that records them). */
  db: Database;
  caller: ToolCaller;
  /** Aborted at the tool's timeout, or when the answer / job that made the call ends. */
  signal: AbortSignal;
  /**
   * For an approved draft: the draft id, sent to the system acted on (an `Idempotency-Key`
   * header for HTTP tools) so a repeated delivery is recognised there. Null for read calls.
   */
  idempotencyKey: string | null;
}

/** A tool, declared once. The model sees `name`, `description` and the JSON Schema of `input`. */
export interface ToolDefinition<I = unknown, O = unknown> {
  name: string;
  description: string;
  kind: ToolKind;
  /** Validates the model's (or MCP client's) arguments; its JSON Schema is what the model is given. */
  input: z.ZodType<I>;
  /** Validates what `run` returned before anyone sees it. */
  output: z.ZodType<O>;
  risk: ToolRisk;
  /** Longest a single attempt may take, in ms; then it is aborted and counts as failed. */
  timeoutMs: number;
  /** True only when running it twice has the effect of running it once; only those are retried. */
  idempotent: boolean;
  /** Further attempts after a failure (0 unless `idempotent`). */
  maxRetries: number;
  /** Roles that may call it: at once for `read`, as a proposal otherwise. */
  roles: readonly Role[];
  /** Approval levels before it runs; from `defaultApprovals[risk]` unless declared. Null: never from the agent. */
  approvals: readonly ApprovalLevel[] | null;
  /**
   * True when `run` only writes Atrium's own tables through `context.db`: an approved draft then
   * runs inside the transaction that records its execution, so it happens exactly once.
   * False (HTTP, MCP): it runs at most once, keyed by `idempotencyKey`.
   */
  transactional: boolean;
  /** False: listed for admins but offered to no one (an HTTP tool or MCP server switched off). Default true. */
  enabled?: boolean;
  /**
   * Checks that need the database before a write is proposed (the ticket exists and the caller
   * may see it), so a draft is never made of a call that could only fail. Throws an `AppError`;
   * the gate refuses the call with its code. Run again by nothing else: `run` checks for itself.
   */
  precheck?(input: I, context: Omit<ToolRunContext, 'idempotencyKey'>): Promise<void>;
  /** What will happen, in one sentence, for the draft card and the approvals queue. */
  describe(input: I): string;
  /** A short result (at most ~200 characters) for the answer's step and the chat. */
  summarize(output: O): string;
  run(input: I, context: ToolRunContext): Promise<O>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds tools of every input and output type.
export type AnyTool = ToolDefinition<any, any>;

/** What the gate decided about one call. */
export type ToolCallOutcome =
  /**
   * `injectionSignals`: prompt-injection signals found in the output (agent/injection-signals.ts);
   * the output is returned all the same and must reach the model as quoted data, never as
   * instructions (`quoteToolResult` in bff/src/tools/quoted-result.ts).
   */
  | { kind: 'result'; output: unknown; summary: string; durationMs: number; injectionSignals?: string[] }
  | { kind: 'failed'; code: string; message: string; durationMs: number }
  /** A write tool: validated, allowed for the caller, and waiting as a draft. */
  | { kind: 'drafted'; draft: Draft }
  /** Not allowed or not valid; `code` is a stable `tool.*` code, `message` says why in words. */
  | { kind: 'refused'; code: string; message: string };

/** Where a call came from: a chat answer (the draft shows in it), or an MCP client. */
export type ToolCallOrigin = { via: 'chat'; chatId: string; answerId: string; stepId: string } | { via: 'mcp' };

/** A set of tools: the built-ins, the HTTP tools admins configured, one external MCP server's tools. */
export interface ToolSource {
  /** The tools this source offers now, enabled or not (`enabledTools` filters). */
  tools(): Promise<AnyTool[]>;
}

/**
 * The one gate every tool call passes, from the agent loop and from /mcp alike (bff/src/tools/gate.ts):
 * unknown tool, invalid arguments, a role without the tool or a `critical` risk → `refused`;
 * `read` → run now with the caller's permissions (timeout, retries if idempotent, stats, audit);
 * anything else → a draft through the `DraftProposer`. Never throws for a bad call.
 */
export interface ToolGate {
  /** The enabled tools this caller may call or propose (what the model and MCP clients are shown). */
  toolsFor(caller: ToolCaller): Promise<AnyTool[]>;
  call(
    caller: ToolCaller,
    name: string,
    rawArguments: unknown,
    origin: ToolCallOrigin,
    signal: AbortSignal,
  ): Promise<ToolCallOutcome>;
  /** The tool by name, enabled or not (the worker executing a draft). */
  get(name: string): Promise<AnyTool | null>;
}

/** Turns an allowed write call into a pending draft, audited and pushed to whoever must approve it (bff/src/drafts). */
export interface DraftProposer {
  propose(input: { tool: AnyTool; input: unknown; caller: ToolCaller; origin: ToolCallOrigin }): Promise<Draft>;
}

/**
 * The drafts one chat answer proposed, as their views (bff/src/drafts implements it): the
 * `answer.continue` job reads them to tell whether all are settled and what became of each.
 */
export interface AnswerDrafts {
  forAnswer(answerId: string): Promise<Draft[]>;
}
