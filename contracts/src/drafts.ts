import { z } from 'zod';
import { draftSchema, draftStatusSchema, toolRiskSchema } from './tools.js';

/**
 * `GET /api/drafts`: the approvals queue of a person who may decide drafts (`drafts:decide`),
 * newest first; `GET /api/drafts/mine`: the caller's own proposals. `cursor` is the previous
 * page's `nextCursor` (a forged one is 400 `request.invalid_cursor`).
 */
export const listDraftsQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  status: draftStatusSchema.optional(),
  tool: z.string().trim().min(1).max(64).optional(),
  risk: toolRiskSchema.optional(),
  requester: z.uuid().optional(),
});
export type ListDraftsQuery = z.infer<typeof listDraftsQuerySchema>;

export const listDraftsResponseSchema = z.object({
  drafts: z.array(draftSchema),
  nextCursor: z.string().nullable(),
});
export const draftResponseSchema = z.object({ draft: draftSchema });
export type DraftResponse = z.infer<typeof draftResponseSchema>;

/** Longest reason a decision may carry, in characters. */
export const draftReasonMaxChars = 1_000;

/** `POST /api/drafts/:id/approve`: a reason is optional. */
export const approveDraftRequestSchema = z.object({ reason: z.string().trim().max(draftReasonMaxChars).optional() });
/** `POST /api/drafts/:id/reject`: the requester is told why, so a reason is required. */
export const rejectDraftRequestSchema = z.object({ reason: z.string().trim().min(1).max(draftReasonMaxChars) });
