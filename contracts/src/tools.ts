import { z } from 'zod';
import { actorViewSchema } from './actors.js';
import { roleSchema } from './roles.js';

/**
 * How much harm a tool call can do, which decides whether it runs at once or waits for people:
 * - `read`: looks things up; runs at once with the caller's permissions.
 * - `low`: writes something easy to undo (a ticket, a comment); one approval.
 * - `high`: writes something costly (a refund, a priority change); two approvals by distinct people.
 * - `critical`: never proposed by the agent; only a person may do it, outside the agent.
 */
export const toolRisks = ['read', 'low', 'high', 'critical'] as const;
export const toolRiskSchema = z.enum(toolRisks);
export type ToolRisk = z.infer<typeof toolRiskSchema>;

/** Where a tool comes from: built into Atrium, an HTTP endpoint an admin configured, or an external MCP server. */
export const toolKinds = ['builtin', 'http', 'mcp'] as const;
export const toolKindSchema = z.enum(toolKinds);
export type ToolKind = z.infer<typeof toolKindSchema>;

/**
 * A tool's name as the model and MCP clients see it. OpenAI function names allow
 * `^[a-zA-Z0-9_-]{1,64}$`; we keep to lower snake case so names read the same everywhere.
 */
export const toolNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower_snake_case, at most 64 characters');

/** One approval level: which roles may give it. Levels are given in order, each by a different person. */
export const approvalLevelSchema = z.object({ roles: z.array(roleSchema).min(1) });
export type ApprovalLevel = z.infer<typeof approvalLevelSchema>;

/**
 * The approvals a risk requires unless a tool declares its own (issue 10): `read` none; `low`
 * one approver; `high` two distinct approvers, the second an `admin`; `critical` never
 * proposed by the agent (null: no level of approval makes it runnable from a chat or /mcp).
 */
export const defaultApprovals: Record<ToolRisk, readonly ApprovalLevel[] | null> = {
  read: [],
  low: [{ roles: ['approver', 'admin'] }],
  high: [{ roles: ['approver', 'admin'] }, { roles: ['admin'] }],
  critical: null,
};

/** A tool as the admin pages list it: what it is, who may call it, and how it has been doing. */
export const toolViewSchema = z.object({
  name: toolNameSchema,
  description: z.string(),
  kind: toolKindSchema,
  risk: toolRiskSchema,
  /** Roles allowed to call it (at once for `read`, as a proposal otherwise). */
  roles: z.array(roleSchema),
  /** Approval levels a call needs before it runs: 0 for `read`; null when no approval makes it runnable (`critical`: a person only). */
  approvalLevels: z.number().int().min(0).nullable(),
  timeoutMs: z.number().int().positive(),
  /** Retried after a failure only when true (the call is idempotent). */
  idempotent: z.boolean(),
  enabled: z.boolean(),
  /** JSON Schema of the arguments (from the zod input schema). */
  inputSchema: z.record(z.string(), z.unknown()),
  stats: z.object({
    calls: z.number().int(),
    failures: z.number().int(),
    /** Median duration of the calls counted, in ms; null before the first. */
    p50Ms: z.number().nullable(),
    lastCalledAt: z.string().nullable(),
  }),
});
export type ToolView = z.infer<typeof toolViewSchema>;

/**
 * One tool call, shown as a step inside the answer that made it:
 * - `running`: a read tool is running now
 * - `done` / `failed`: a read tool's outcome (`summary` is the short result or why it failed)
 * - `drafted`: a write tool's call became draft `draftId`, waiting for people
 * - `refused`: the call was not allowed (unknown tool, bad arguments, role, risk), `summary` says why
 */
export const answerStepStatuses = ['running', 'done', 'failed', 'drafted', 'refused'] as const;
export const answerStepSchema = z.object({
  /** The model's tool-call id (or ours when it gave none); unique within the answer. */
  id: z.string(),
  tool: z.string(),
  arguments: z.unknown(),
  status: z.enum(answerStepStatuses),
  /** Short result or reason, at most a few hundred characters; null while running. */
  summary: z.string().nullable(),
  draftId: z.string().nullable(),
  /**
   * Why a `refused` step was refused, a stable code from errors.ts: `tool.unknown`,
   * `tool.invalid_arguments`, `tool.forbidden`, `tool.needs_person`; null (or absent, on steps
   * stored before it existed) otherwise. The UI labels the refusal by it.
   */
  code: z.string().nullable().optional(),
});
export type AnswerStep = z.infer<typeof answerStepSchema>;

/**
 * A proposed write, waiting for people or done:
 * `pending` (waiting for the next level) → `executing` (last approval given; the worker runs it
 * once) → `executed` | `failed`; or `rejected`, `expired`, `withdrawn` before that.
 */
export const draftStatuses = [
  'pending',
  'executing',
  'executed',
  'failed',
  'rejected',
  'expired',
  'withdrawn',
] as const;
export const draftStatusSchema = z.enum(draftStatuses);
export type DraftStatus = z.infer<typeof draftStatusSchema>;

export const draftIdSchema = z.uuid();

export const draftDecisionSchema = z.object({
  by: actorViewSchema,
  approve: z.boolean(),
  reason: z.string().nullable(),
  at: z.string(),
});

export const draftSchema = z.object({
  id: draftIdSchema,
  tool: z.string(),
  risk: toolRiskSchema,
  /** What will happen, in one sentence built from the arguments (the server's English). */
  summary: z.string(),
  arguments: z.unknown(),
  status: draftStatusSchema,
  requester: actorViewSchema,
  /** Where it was proposed: a chat answer, or an MCP client (both null then). */
  chatId: z.string().nullable(),
  answerId: z.string().nullable(),
  /** Each level in order, with the decision given at it (null: not yet). */
  levels: z.array(z.object({ roles: z.array(roleSchema), decision: draftDecisionSchema.nullable() })),
  createdAt: z.string(),
  expiresAt: z.string(),
  updatedAt: z.string(),
  /** After execution: the short result, or why it failed; why it was rejected, expired or withdrawn. */
  outcome: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type Draft = z.infer<typeof draftSchema>;

export const listToolsResponseSchema = z.object({ tools: z.array(toolViewSchema) });

/**
 * An HTTP tool an admin configures (issue 10) so the agent can reach a company's own system.
 * Arguments travel as a JSON body (POST, PUT, PATCH) or as query parameters (GET, DELETE).
 * The URL's host must be on `ATRIUM_HTTP_TOOL_ALLOW_HOSTS` and resolve only to public addresses
 * (checked when saved and again on every call, redirects included: bff/src/tools/outbound-guard.ts).
 */
export const httpToolMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const httpToolMethodSchema = z.enum(httpToolMethods);

/** A JSON Schema for the arguments: an object schema (what OpenAI function calling accepts). */
export const toolInputJsonSchema = z
  .record(z.string(), z.unknown())
  .refine((schema) => schema.type === 'object', 'must be a JSON Schema with "type": "object"');

const httpToolFields = z.object({
  /** No `__`: that separates an MCP server's name from its tools' (`<server>__<tool>`). */
  name: toolNameSchema.refine((name) => !name.includes('__'), 'must not contain "__" (reserved for MCP tools)'),
  description: z.string().trim().min(1).max(1000),
  method: httpToolMethodSchema,
  url: z.url({ protocol: /^https?$/ }).max(2000),
  inputSchema: toolInputJsonSchema,
  risk: toolRiskSchema,
  roles: z.array(roleSchema).min(1),
  /** Longest one call may take, in ms (100 ms – 30 s). */
  timeoutMs: z.number().int().min(100).max(30_000),
  enabled: z.boolean(),
});

export const createHttpToolRequestSchema = httpToolFields.extend({
  timeoutMs: httpToolFields.shape.timeoutMs.default(10_000),
  enabled: httpToolFields.shape.enabled.default(true),
});
export type CreateHttpToolRequest = z.input<typeof createHttpToolRequestSchema>;

/** A change to an HTTP tool: any fields but the name (what the model and the audit log know it by). */
export const updateHttpToolRequestSchema = httpToolFields
  .omit({ name: true })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'change at least one field');
export type UpdateHttpToolRequest = z.input<typeof updateHttpToolRequestSchema>;

export const httpToolSchema = z.object({
  id: z.uuid(),
  name: toolNameSchema,
  description: z.string(),
  method: httpToolMethodSchema,
  url: z.string(),
  inputSchema: z.record(z.string(), z.unknown()),
  risk: toolRiskSchema,
  roles: z.array(roleSchema),
  timeoutMs: z.number().int(),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type HttpTool = z.infer<typeof httpToolSchema>;
export const httpToolResponseSchema = z.object({ httpTool: httpToolSchema });
export const listHttpToolsResponseSchema = z.object({ httpTools: z.array(httpToolSchema) });
