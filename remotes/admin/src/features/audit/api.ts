import { type ApiClient, auditListResponseSchema } from '@atrium/contracts';

export interface AuditFilters {
  target: string;
  action: string;
}

/** Newest first; `before` is the `nextBefore` of the page already shown. Empty filters are left out. */
export function fetchAuditPage(api: ApiClient, filters: AuditFilters, page: { before?: string; limit: number }) {
  const query = new URLSearchParams({ limit: String(page.limit) });
  if (filters.target) query.set('target', filters.target);
  if (filters.action) query.set('action', filters.action);
  if (page.before) query.set('before', page.before);
  return api.get(`/api/audit?${query}`, auditListResponseSchema);
}
