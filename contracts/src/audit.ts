import { z } from 'zod';
import { releaseActions } from './registry.js';
import type { RemoteName } from './remotes.js';

/** Every action the BFF writes to the audit log: what the audit page offers as a filter. */
export const auditActions = [
  'user.created',
  'user.updated',
  'user.role_changed',
  'account.password_changed',
  'registry.token_created',
  'registry.token_revoked',
  ...releaseActions.map((action) => `registry.${action}` as const),
  'document.audience_changed',
  'document.reindexed',
  'document.deleted',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** The target the registry records for a remote's release changes. */
export const remoteAuditTarget = (remote: RemoteName) => `remote:${remote}` as const;

/** The target recorded for a change to a knowledge-base document (audience, reindex, delete). */
export const documentAuditTarget = (documentId: string) => `document:${documentId}` as const;

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  /** The signed-in user who acted; null for a deploy token, the registry itself, or a deleted account. */
  actorId: z.string().nullable(),
  actorName: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  requestId: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Newest first. `before` is the `nextBefore` of the previous page; every filter is an exact match. */
export const auditQuerySchema = z.object({
  target: z.string().trim().min(1).max(200).optional(),
  action: z.string().trim().min(1).max(100).optional(),
  /** A user id, `token:<id>` or `system`. */
  actor: z.string().trim().min(1).max(100).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditListResponseSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `before` for the next (older) page; null when there is none. */
  nextBefore: z.string().nullable(),
});
export type AuditListResponse = z.infer<typeof auditListResponseSchema>;
