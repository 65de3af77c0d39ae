import { z } from 'zod';
import { actorViewSchema } from './actors.js';
import { releaseActions } from './registry.js';
import type { RemoteName } from './values.js';

/** Every action the BFF writes to the audit log: what the audit page offers as a filter. */
export const auditActions = [
  'user.created',
  'user.updated',
  'user.role_changed',
  'user.sign_in_unlocked',
  /** Issue 11 user administration: each with `detail.reason` (and `detail.actor = "cli"` from the server CLI). */
  'user.disabled',
  'user.enabled',
  'user.password_reset',
  'user.sessions_revoked',
  'user.deleted',
  'account.password_changed',
  'registry.token_created',
  'registry.token_revoked',
  /** Issue 11: a remote's release-signing public key was registered / revoked (detail: remote, keyId, name, reason). */
  'registry.signing_key_added',
  'registry.signing_key_revoked',
  ...releaseActions.map((action) => `registry.${action}` as const),
  'document.audience_changed',
  'document.reindexed',
  'document.deleted',
  'token.created',
  'token.revoked',
  'mcp.server_created',
  'mcp.server_updated',
  'mcp.server_deleted',
  'draft.proposed',
  'draft.approved',
  'draft.rejected',
  'draft.withdrawn',
  'draft.expired',
  'draft.executed',
  'draft.failed',
  /** Issue 10: a read tool ran (or an approved write was executed) and how it went. */
  'tool.called',
  /** A tool call the gate refused: unknown tool, invalid arguments, role, risk. */
  'tool.refused',
  'http_tool.created',
  'http_tool.updated',
  'http_tool.deleted',
  /** An input/output guardrail fired (detail: layer, kind, count). */
  'guardrail.triggered',
  /** Issue 11: a feature flag turned on/off or re-targeted (detail: reason, before, after). */
  'flag.toggled',
  /** Issue 11: an admin defined, changed or deleted an agent profile. */
  'agent.created',
  'agent.updated',
  'agent.deleted',
  /** Issue 11: an admin changed a plan or a feature override (detail: reason, before, after). */
  'entitlement.changed',
  /** Issue 11: the billing provider's webhook changed a plan (no actor; detail: event id, plan, status). */
  'entitlement.plan_changed',
  /** Issue 11: an admin set or removed a user's monthly budget (detail: reason, before, after). */
  'user.budget_changed',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** The target the registry records for a remote's release changes. */
export const remoteAuditTarget = (remote: RemoteName) => `remote:${remote}` as const;

/** The target recorded for a change to a knowledge-base document (audience, reindex, delete). */
export const documentAuditTarget = (documentId: string) => `document:${documentId}` as const;

/** The target recorded for everything that happens to a draft (proposed, decided, executed…). */
export const draftAuditTarget = (draftId: string) => `draft:${draftId}` as const;
/** The target recorded for a tool's calls and configuration (issue 10). */
export const toolAuditTarget = (tool: string) => `tool:${tool}` as const;
/** The target recorded for a feature flag's changes (issue 11). */
export const flagAuditTarget = (flag: string) => `flag:${flag}` as const;

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  /** The signed-in user who acted; null for a deploy token, the registry itself, or a deleted account. */
  actorId: z.string().nullable(),
  /** Who acted, for the client to name in the reader's language. */
  actor: actorViewSchema,
  action: z.string(),
  target: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  requestId: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Newest first. `before` is the `nextBefore` of the previous page. */
export const auditQuerySchema = z.object({
  /**
   * Finds by prefix: a stored target or its start (`remote:chat-core`, `user:`), a remote's name
   * (`chat-core`: its releases and its deploy tokens) or a user's email (`ops@example.com`).
   */
  target: z.string().trim().min(1).max(200).optional(),
  /** `action` and `actor` match exactly. */
  action: z.string().trim().min(1).max(100).optional(),
  /** A user id, `token:<id>` or `system`. */
  actor: z.string().trim().min(1).max(100).optional(),
  /** Opaque: the `nextBefore` of the previous page. Anything the server did not issue is `request.invalid_cursor`. */
  before: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditListResponseSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `before` for the next (older) page; null when there is none. */
  nextBefore: z.string().nullable(),
});
export type AuditListResponse = z.infer<typeof auditListResponseSchema>;
