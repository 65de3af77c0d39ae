import {
  type ApiClient,
  type DraftStatus,
  draftResponseSchema,
  listDraftsResponseSchema,
  type ToolRisk,
} from '@atrium/contracts';

export interface ApprovalFilters {
  status: DraftStatus | '';
  risk: ToolRisk | '';
  tool: string;
}

/** The approvals queue (`GET /api/drafts`), newest first; `cursor` is the `nextCursor` of the page shown. Empty filters are left out. */
export function fetchApprovals(api: ApiClient, filters: ApprovalFilters, cursor?: string) {
  const query = new URLSearchParams({ limit: '30' });
  if (filters.status) query.set('status', filters.status);
  if (filters.risk) query.set('risk', filters.risk);
  if (filters.tool) query.set('tool', filters.tool);
  if (cursor) query.set('cursor', cursor);
  return api.get(`/api/drafts?${query}`, listDraftsResponseSchema);
}

/** Approves (reason optional) or rejects (reason required) the level waiting for the caller. */
export function decideDraft(api: ApiClient, draftId: string, decision: 'approve' | 'reject', reason: string) {
  const body = reason.trim() ? { reason: reason.trim() } : {};
  return api.send('POST', `/api/drafts/${draftId}/${decision}`, body, draftResponseSchema);
}
