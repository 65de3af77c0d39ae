import type { DocumentView } from '@atrium/contracts';
import type { DocumentRow } from '../db/schema/index.js';

/**
 * A documents row → the contracts `documentSchema` view, as `callerId` sees it (`mine`).
 * `ownerName` is the owner's display name (users.display_name), so a shared document says who
 * published it.
 */
export const toDocumentView = (row: DocumentRow, ownerName: string, callerId: string): DocumentView => ({
  id: row.id,
  title: row.title,
  filename: row.filename,
  mediaType: row.mediaType,
  sizeBytes: row.sizeBytes,
  sha256: row.sha256,
  audience: row.audience,
  status: row.status,
  failure:
    row.status === 'failed' ? (row.failure ?? { code: 'document.internal', message: 'Processing failed.' }) : null,
  progress: row.progress,
  pageCount: row.pageCount,
  chunkCount: row.chunkCount,
  ownerId: row.ownerId,
  ownerName,
  mine: row.ownerId === callerId,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});
