import type { ApiClient, Citation } from '@atrium/contracts';
import { ApiRequestError } from '@atrium/shared';
import { describe, expect, test } from 'vitest';
import type { PassageResponse } from './api.js';
import { loadingPassage, loadSourcePassage, sourcePath } from './source-passage.js';

const documentId = '0b8a3f4e-2d7c-4a51-9a8e-1f2d3c4b5a69';
const chunkId = '7c1e9d2a-4b3f-4e8a-8d6c-2a1b3c4d5e6f';
const citation: Citation = {
  n: 1,
  chunkId,
  documentId,
  documentTitle: 'Handbook',
  headingPath: ['Accounts', 'Passwords'],
  page: 2,
  excerpt: 'Passwords are reset every week.',
};

const passage = (id: string, text: string) => ({
  chunkId: id,
  documentId,
  documentTitle: 'Handbook',
  headingPath: ['Accounts', 'Passwords'],
  page: 2,
  charStart: 0,
  charEnd: text.length,
  text,
});

const response = {
  document: { id: documentId, title: 'Handbook' },
  passage: passage(chunkId, 'Passwords are reset every week.'),
  before: null,
  after: passage('9f8e7d6c-5b4a-4392-8a1b-0c9d8e7f6a5b', 'Ask the desk if locked out.'),
} as unknown as PassageResponse;

/** An ApiClient whose `get` records the path and answers with `answer`. */
function fakeApi(answer: () => Promise<unknown>): { api: ApiClient; paths: string[] } {
  const paths: string[] = [];
  const api = {
    get: (path: string) => {
      paths.push(path);
      return answer();
    },
  } as unknown as ApiClient;
  return { api, paths };
}

describe('the source dialog state', () => {
  test('starts loading', () => {
    expect(loadingPassage).toEqual({ status: 'loading' });
  });

  test('loaded: the passage route for the cited document and chunk, its answer kept', async () => {
    const { api, paths } = fakeApi(async () => response);
    expect(await loadSourcePassage(api, citation)).toEqual({ status: 'loaded', response });
    expect(paths).toEqual([`/api/documents/${documentId}/passages/${chunkId}`]);
  });

  test('deleted: a 404 document.not_found (deleted, or no longer visible)', async () => {
    const gone = new ApiRequestError(404, 'document.not_found', 'Document not found');
    const { api } = fakeApi(() => Promise.reject(gone));
    expect(await loadSourcePassage(api, citation)).toEqual({ status: 'deleted' });
  });

  test('failed: any other error, kept so the dialog can say what went wrong', async () => {
    for (const error of [
      new ApiRequestError(0, 'network', 'offline'),
      new ApiRequestError(500, 'internal', 'boom'),
      new ApiRequestError(404, 'chat.not_found', 'other resource'),
    ]) {
      const { api } = fakeApi(() => Promise.reject(error));
      expect(await loadSourcePassage(api, citation)).toEqual({ status: 'failed', error });
    }
  });
});

test('sourcePath: the document title, then its headings outermost first', () => {
  expect(sourcePath(citation)).toBe('Handbook › Accounts › Passwords');
  expect(sourcePath({ documentTitle: 'Notes', headingPath: [] })).toBe('Notes');
  expect(sourcePath({ documentTitle: 'Notes', headingPath: ['Notes', 'Setup'] })).toBe('Notes › Setup');
});
