import type { ApiClient } from '@atrium/contracts';
import { ApiRequestError } from '@atrium/shared';
import { expect, test } from 'vitest';
import { uploadDocument } from './api.js';

const existing = {
  id: '00000000-0000-4000-8000-000000000007',
  title: 'Returns policy',
  filename: 'returns.md',
  mediaType: 'text/markdown',
  sizeBytes: 10,
  sha256: 'a'.repeat(64),
  audience: 'private',
  status: 'ready',
  failure: null,
  progress: null,
  pageCount: null,
  chunkCount: 3,
  ownerId: '00000000-0000-4000-8000-0000000000aa',
  ownerName: 'Ada',
  mine: true,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
};

function failingWith(error: unknown) {
  const calls: { path: string; query: Record<string, string> | undefined }[] = [];
  const api = {
    upload: async (path: string, _body: Blob, _schema: unknown, options?: { query?: Record<string, string> }) => {
      calls.push({ path, query: options?.query });
      throw error;
    },
  } as unknown as ApiClient;
  return { api, calls };
}

const request = () => ({
  file: new Blob(['x']),
  name: 'returns.md',
  audience: 'everyone' as const,
  onProgress: () => {},
  signal: new AbortController().signal,
});

test('409 document.duplicate becomes the existing document; 413 becomes too_large; the query names file and audience', async () => {
  const duplicate = failingWith(
    new ApiRequestError(409, 'document.duplicate', 'Already uploaded.', undefined, null, {
      code: 'document.duplicate',
      message: 'Already uploaded.',
      document: existing,
    }),
  );
  await expect(uploadDocument(duplicate.api, request())).resolves.toMatchObject({
    kind: 'duplicate',
    document: { title: 'Returns policy' },
  });
  expect(duplicate.calls).toEqual([
    { path: '/api/documents', query: { filename: 'returns.md', audience: 'everyone' } },
  ]);

  const tooLarge = failingWith(new ApiRequestError(413, 'request.too_large', 'Too large.'));
  await expect(uploadDocument(tooLarge.api, request())).resolves.toEqual({ kind: 'too_large' });
});

test('any other failure is thrown for the caller to show', async () => {
  const unsupported = new ApiRequestError(415, 'request.unsupported_media_type', 'Not a document.');
  await expect(uploadDocument(failingWith(unsupported).api, request())).rejects.toBe(unsupported);
  const conflictWithoutDocument = new ApiRequestError(409, 'document.duplicate', 'Already uploaded.');
  await expect(uploadDocument(failingWith(conflictWithoutDocument).api, request())).rejects.toBe(
    conflictWithoutDocument,
  );
});
