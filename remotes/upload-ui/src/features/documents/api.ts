import {
  type ApiClient,
  type DocumentAudience,
  type DocumentStatus,
  type DocumentView,
  documentResponseSchema,
  listDocumentsResponseSchema,
  okResponseSchema,
} from '@atrium/contracts';
import type { z } from 'zod';

export type DocumentPage = z.infer<typeof listDocumentsResponseSchema>;

/** What the list shows; an empty string means "any". */
export interface DocumentFilters {
  q: string;
  status: DocumentStatus | '';
  audience: DocumentAudience | '';
}

export const noFilters: DocumentFilters = { q: '', status: '', audience: '' };

const pageSize = 30;
const path = (id: string, action = '') => `/api/documents/${encodeURIComponent(id)}${action}`;

/** `GET /api/documents`: newest first, `pageSize` at a time; `cursor` continues a previous page. */
export function listDocuments(api: ApiClient, filters: DocumentFilters, cursor?: string | null): Promise<DocumentPage> {
  const params = new URLSearchParams({ limit: String(pageSize) });
  if (filters.q) params.set('q', filters.q);
  if (filters.status) params.set('status', filters.status);
  if (filters.audience) params.set('audience', filters.audience);
  if (cursor) params.set('cursor', cursor);
  return api.get(`/api/documents?${params}`, listDocumentsResponseSchema);
}

/** `GET /api/documents/:id`; 404 `document.not_found` for a document the caller may not see. */
export async function getDocument(api: ApiClient, id: string): Promise<DocumentView> {
  return (await api.get(path(id), documentResponseSchema)).document;
}

export type DocumentCommand = 'cancel' | 'retry' | 'reindex';

/** `POST /api/documents/:id/{cancel,retry,reindex}`: the document as it is now. */
export async function runCommand(api: ApiClient, id: string, command: DocumentCommand): Promise<DocumentView> {
  return (await api.send('POST', path(id, `/${command}`), {}, documentResponseSchema)).document;
}

/** `PATCH /api/documents/:id/audience`; the reason goes to the audit log. */
export async function changeAudience(
  api: ApiClient,
  id: string,
  audience: DocumentAudience,
  reason: string,
): Promise<DocumentView> {
  const body = reason ? { audience, reason } : { audience };
  return (await api.send('PATCH', path(id, '/audience'), body, documentResponseSchema)).document;
}

/** `DELETE /api/documents/:id`: the document, its chunks and vectors go. */
export async function deleteDocument(api: ApiClient, id: string): Promise<void> {
  await api.send('DELETE', path(id), {}, okResponseSchema);
}
