import {
  type ApiClient,
  type DocumentAudience,
  type DocumentView,
  documentResponseSchema,
  duplicateDocumentErrorSchema,
} from '@atrium/contracts';
import { ApiRequestError } from '@atrium/shared';

export interface UploadRequest {
  file: Blob;
  name: string;
  audience: DocumentAudience;
  onProgress(sentBytes: number): void;
  signal: AbortSignal;
}

/** The answers an upload can end with that are not errors to show as such. */
export type UploadOutcome =
  | { kind: 'created'; document: DocumentView }
  | { kind: 'duplicate'; document: DocumentView }
  | { kind: 'too_large' };

/**
 * `POST /api/documents?filename=…&audience=…` with the file's bytes: 201 the new document;
 * 409 `document.duplicate` the caller's existing document with the same bytes; 413 over the
 * BFF's limit. Any other failure rejects with `ApiRequestError`; an abort with `AbortError`.
 */
export async function uploadDocument(api: ApiClient, request: UploadRequest): Promise<UploadOutcome> {
  try {
    const { document } = await api.upload('/api/documents', request.file, documentResponseSchema, {
      query: { filename: request.name, audience: request.audience },
      onProgress: (sentBytes) => request.onProgress(sentBytes),
      signal: request.signal,
    });
    return { kind: 'created', document };
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 409) {
      const duplicate = duplicateDocumentErrorSchema.safeParse(error.body);
      if (duplicate.success) return { kind: 'duplicate', document: duplicate.data.document };
    }
    if (error instanceof ApiRequestError && error.status === 413) return { kind: 'too_large' };
    throw error;
  }
}
