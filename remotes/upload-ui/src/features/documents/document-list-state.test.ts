import { type DocumentView, defaultUploadMaxBytes } from '@atrium/contracts';
import { expect, test } from 'vitest';
import { noFilters } from './api.js';
import { documentActions } from './document-actions.js';
import { type DocumentListAction, documentListReducer, initialDocumentList } from './document-list-state.js';

const doc = (n: number, title: string, change: Partial<DocumentView> = {}): DocumentView => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  title,
  filename: `${title.toLowerCase()}.md`,
  mediaType: 'text/markdown',
  sizeBytes: 100,
  sha256: String(n).repeat(64),
  audience: 'private',
  status: 'ready',
  failure: null,
  progress: null,
  pageCount: null,
  chunkCount: 2,
  ownerId: '00000000-0000-4000-8000-0000000000aa',
  ownerName: 'Ada',
  mine: true,
  createdAt: `2026-12-01T10:0${n}:00.000Z`,
  updatedAt: `2026-12-01T10:0${n}:00.000Z`,
  ...change,
});
const run = (...actions: DocumentListAction[]) => actions.reduce(documentListReducer, initialDocumentList);
const titles = (state: { documents: DocumentView[] }) => state.documents.map((d) => `${d.title}:${d.status}`);
const page = (documents: DocumentView[], nextCursor: string | null = null) => ({ documents, nextCursor });

test('document.updated moves a row through its steps in place; a new one joins newest first; deleted leaves', () => {
  const state = run(
    { type: 'filtered', filters: noFilters },
    { type: 'loaded', request: 1, page: page([doc(2, 'Billing'), doc(1, 'Refunds')]), more: false },
    { type: 'event', event: { type: 'document.updated', document: doc(3, 'Shipping', { status: 'queued' }) } },
    {
      type: 'event',
      event: {
        type: 'document.updated',
        document: doc(3, 'Shipping', { status: 'embedding', progress: { done: 3, total: 8 } }),
      },
    },
    { type: 'event', event: { type: 'document.updated', document: doc(1, 'Refunds', { status: 'parsing' }) } },
    { type: 'event', event: { type: 'document.deleted', documentId: doc(2, '').id } },
  );
  expect(titles(state)).toEqual(['Shipping:embedding', 'Refunds:parsing']);
  expect(state.documents[0]?.progress).toEqual({ done: 3, total: 8 });
});

test('a filtered list takes only matching newcomers, keeps known rows, and always shows what the caller just saved', () => {
  const filters = { q: 'ref', status: '', audience: 'everyone' } as const;
  const state = run(
    { type: 'filtered', filters },
    { type: 'loaded', request: 1, page: page([doc(1, 'Refunds', { audience: 'everyone' })]), more: false },
    { type: 'event', event: { type: 'document.updated', document: doc(2, 'Shipping', { audience: 'everyone' }) } },
    { type: 'event', event: { type: 'document.updated', document: doc(3, 'Refund FAQ') } },
    { type: 'event', event: { type: 'document.updated', document: doc(4, 'Refund rules', { audience: 'everyone' }) } },
    { type: 'event', event: { type: 'document.updated', document: doc(1, 'Refunds', { audience: 'agent_l1' }) } },
    { type: 'saved', document: doc(5, 'Warranty', { status: 'queued' }) },
  );
  expect(titles(state)).toEqual(['Warranty:queued', 'Refund rules:ready', 'Refunds:ready']);
});

test('resync reloads with the same filters, keeping the rows on screen until the new page replaces them', () => {
  const filters = { q: '', status: 'failed', audience: '' } as const;
  const loaded = run(
    { type: 'filtered', filters },
    { type: 'loaded', request: 1, page: page([doc(1, 'Refunds', { status: 'failed' })], 'c1'), more: false },
  );
  const resynced = documentListReducer(loaded, { type: 'event', event: { type: 'resync' } });
  expect(resynced.request).toBe(2);
  expect(resynced.filters).toEqual(filters);
  expect(resynced.status).toBe('ready');
  expect(titles(resynced)).toEqual(['Refunds:failed']);

  // The answer to the load started before the resync is stale and dropped; the new one wins.
  const stale = documentListReducer(resynced, {
    type: 'loaded',
    request: 1,
    page: page([doc(1, 'Refunds', { status: 'failed' })], 'c1'),
    more: true,
  });
  expect(stale).toBe(resynced);
  const fresh = documentListReducer(resynced, { type: 'loaded', request: 2, page: page([]), more: false });
  expect(titles(fresh)).toEqual([]);
  expect(fresh.nextCursor).toBeNull();
});

test('new filters start over and drop answers for the old ones; Load more appends without duplicates', () => {
  const state = run(
    { type: 'filtered', filters: { ...noFilters, q: 'a' } },
    { type: 'filtered', filters: { ...noFilters, q: 'ab' } },
    { type: 'loaded', request: 1, page: page([doc(1, 'a')]), more: false },
    { type: 'loaded', request: 2, page: page([doc(3, 'ab')], 'next'), more: false },
    { type: 'loadingMore' },
    { type: 'loaded', request: 2, page: page([doc(3, 'ab'), doc(2, 'abc')]), more: true },
  );
  expect(titles(state)).toEqual(['ab:ready', 'abc:ready']);
  expect(state.nextCursor).toBeNull();
  expect(state.loadingMore).toBe(false);
});

test('the upload limit comes from the list response when the BFF sends it, else the contract default', () => {
  const withoutLimits = run({ type: 'loaded', request: 0, page: page([]), more: false });
  expect(withoutLimits.uploadMaxBytes).toBe(defaultUploadMaxBytes);
  const withLimits = run({
    type: 'loaded',
    request: 0,
    page: { ...page([]), limits: { uploadMaxBytes: 1_000_000 } },
    more: false,
  });
  expect(withLimits.uploadMaxBytes).toBe(1_000_000);
});

test('owners cancel, retry, reindex and delete; owners who may share change the audience', () => {
  const offered = (d: DocumentView, canShare: boolean) =>
    Object.entries(documentActions(d, canShare))
      .filter(([, on]) => on)
      .map(([name]) => name);
  expect(offered(doc(1, 'a', { status: 'queued' }), false)).toEqual(['cancel', 'delete']);
  expect(offered(doc(1, 'a', { status: 'embedding' }), false)).toEqual(['cancel', 'delete']);
  expect(offered(doc(1, 'a', { status: 'failed' }), false)).toEqual(['retry', 'delete']);
  expect(offered(doc(1, 'a', { status: 'ready' }), true)).toEqual(['reindex', 'changeAudience', 'delete']);
  expect(offered(doc(1, 'a', { mine: false, audience: 'everyone' }), false)).toEqual([]);
  expect(offered(doc(1, 'a', { status: 'ready' }), false)).toEqual(['reindex', 'delete']);
  expect(offered(doc(1, 'a', { mine: false, audience: 'agent_l2' }), true)).toEqual([]);
});

test('a view never replaces a newer one: an action answer or a page read before the last event', () => {
  const queued = doc(1, 'Refunds', { status: 'queued', updatedAt: '2026-12-01T11:00:00.000Z' });
  const parsing = doc(1, 'Refunds', { status: 'parsing', updatedAt: '2026-12-01T11:00:01.000Z' });
  const state = run(
    { type: 'filtered', filters: noFilters },
    { type: 'event', event: { type: 'document.updated', document: parsing } },
    { type: 'loaded', request: 1, page: page([queued]), more: false },
    { type: 'saved', document: queued },
  );
  expect(titles(state)).toEqual(['Refunds:parsing']);
});
