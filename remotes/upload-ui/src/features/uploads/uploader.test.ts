import type { DocumentView } from '@atrium/contracts';
import { ApiRequestError } from '@atrium/shared';
import { expect, test } from 'vitest';
import type { UploadOutcome, UploadRequest } from './api.js';
import { canRetry, initialUploads, uploadsReducer } from './upload-state.js';
import { createUploader } from './uploader.js';

const document = (id: string, title: string): DocumentView => ({
  id: `00000000-0000-4000-8000-00000000000${id}`,
  title,
  filename: `${title}.md`,
  mediaType: null,
  sizeBytes: 10,
  sha256: 'a'.repeat(64),
  audience: 'private',
  status: 'queued',
  failure: null,
  progress: null,
  pageCount: null,
  chunkCount: 0,
  ownerId: '00000000-0000-4000-8000-0000000000aa',
  ownerName: 'Ada',
  mine: true,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
});

/** A transport the test answers by hand: each request waits until the test settles it. */
function scriptedTransport() {
  const requests: (UploadRequest & { resolve(o: UploadOutcome): void; reject(e: unknown): void })[] = [];
  const send = (request: UploadRequest) =>
    new Promise<UploadOutcome>((resolve, reject) => {
      requests.push({ ...request, resolve, reject });
      request.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
  const find = (name: string) => {
    const found = requests.findLast((r) => r.name === name);
    if (!found) throw new Error(`${name} was never sent`);
    return found;
  };
  return { send, requests, find };
}

const file = (name: string, sizeBytes: number) => new File([new Uint8Array(sizeBytes)], name);
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));
const MB = 1024 * 1024;

function setUp() {
  const transport = scriptedTransport();
  const uploader = createUploader({ send: transport.send, concurrency: 2 });
  const created: string[] = [];
  uploader.onCreated((d) => created.push(d.title));
  const items = () => uploader.store.getState().items;
  const item = (name: string) => {
    const found = items().find((i) => i.name === name);
    if (!found) throw new Error(`no upload named ${name}`);
    return found;
  };
  return { transport, uploader, created, items, item };
}

test('several files: two are sent at once with byte progress; a created one leaves the list and the next starts', async () => {
  const { transport, uploader, created, items, item } = setUp();
  uploader.add([file('a.md', 100), file('b.pdf', 200), file('c.txt', 300)], 'agent_l1', 25 * MB);
  expect(items().map((i) => [i.name, i.phase])).toEqual([
    ['a.md', 'sending'],
    ['b.pdf', 'sending'],
    ['c.txt', 'waiting'],
  ]);
  expect(transport.find('a.md').audience).toBe('agent_l1');

  transport.find('a.md').onProgress(40);
  transport.find('a.md').onProgress(30); // out of order: progress never goes back
  expect(item('a.md').sentBytes).toBe(40);
  transport.find('a.md').onProgress(100);
  expect(item('a.md').sentBytes).toBe(100);

  transport.find('a.md').resolve({ kind: 'created', document: document('1', 'a') });
  await settled();
  expect(items().map((i) => i.name)).toEqual(['b.pdf', 'c.txt']);
  expect(created).toEqual(['a']);
  expect(item('c.txt').phase).toBe('sending');
});

test('an empty file and one over the limit are refused before anything is sent', () => {
  const { transport, uploader, item } = setUp();
  uploader.add([file('empty.txt', 0), file('big.pdf', 3 * MB), file('ok.md', 5)], 'private', 2 * MB);
  expect(item('empty.txt')).toMatchObject({ phase: 'rejected', problem: { kind: 'empty' } });
  expect(item('big.pdf')).toMatchObject({ phase: 'rejected', problem: { kind: 'too_large' } });
  expect(canRetry(item('big.pdf'))).toBe(false);
  expect(transport.requests.map((r) => r.name)).toEqual(['ok.md']);
});

test('cancel aborts a file being sent (it ends cancelled, not failed) and a waiting file is never sent', async () => {
  const { transport, uploader, item } = setUp();
  uploader.add([file('a.md', 10), file('b.md', 10), file('c.md', 10)], 'private', MB);
  uploader.cancel(item('c.md').key);
  uploader.cancel(item('a.md').key);
  expect(transport.find('a.md').signal.aborted).toBe(true);
  await settled();
  expect(item('a.md').phase).toBe('cancelled');
  expect(item('c.md').phase).toBe('cancelled');
  expect(transport.requests.map((r) => r.name)).toEqual(['a.md', 'b.md']);

  uploader.retry(item('c.md').key);
  expect(item('c.md').phase).toBe('sending');
});

test('a duplicate offers the existing document; 413 from the BFF says too large; neither is retried', async () => {
  const { transport, uploader, created, item } = setUp();
  uploader.add([file('again.md', 10), file('huge.pdf', 10)], 'private', MB);
  const existing = document('7', 'Returns policy');
  transport.find('again.md').resolve({ kind: 'duplicate', document: existing });
  transport.find('huge.pdf').resolve({ kind: 'too_large' });
  await settled();
  expect(item('again.md')).toMatchObject({ phase: 'duplicate', existing: { title: 'Returns policy' } });
  expect(item('huge.pdf')).toMatchObject({ phase: 'rejected', problem: { kind: 'too_large' } });
  expect(created).toEqual([]);
  expect([canRetry(item('again.md')), canRetry(item('huge.pdf'))]).toEqual([false, false]);
});

test('a failed upload keeps its reason and is sent again, bytes and all, on retry', async () => {
  const { transport, uploader, created, item, items } = setUp();
  const picked = file('a.md', 10);
  uploader.add([picked], 'private', MB);
  const error = new ApiRequestError(503, 'internal', 'try later');
  transport.find('a.md').reject(error);
  await settled();
  expect(item('a.md')).toMatchObject({ phase: 'failed', problem: { kind: 'error', error } });

  uploader.retry(item('a.md').key);
  expect(item('a.md')).toMatchObject({ phase: 'sending', sentBytes: 0, problem: null });
  expect(transport.requests).toHaveLength(2);
  expect(transport.find('a.md').file).toBe(picked);
  transport.find('a.md').resolve({ kind: 'created', document: document('2', 'a') });
  await settled();
  expect(items()).toEqual([]);
  expect(created).toEqual(['a']);
});

test('late answers for an upload no longer being sent change nothing; a file being sent is not dismissed', () => {
  const added = uploadsReducer(initialUploads, {
    type: 'added',
    files: [{ key: 'k', name: 'a.md', sizeBytes: 10 }],
    audience: 'private',
    limitBytes: MB,
  });
  const sending = uploadsReducer(added, { type: 'started', key: 'k' });
  expect(uploadsReducer(sending, { type: 'dismissed', key: 'k' })).toBe(sending);
  const cancelled = uploadsReducer(sending, { type: 'cancelled', key: 'k' });
  for (const late of [
    { type: 'progressed', key: 'k', sentBytes: 5 },
    { type: 'failed', key: 'k', error: new Error('x') },
    { type: 'duplicate', key: 'k', document: document('1', 'a') },
  ] as const) {
    expect(uploadsReducer(cancelled, late)).toBe(cancelled);
  }
  expect(uploadsReducer(cancelled, { type: 'dismissed', key: 'k' }).items).toEqual([]);
});
