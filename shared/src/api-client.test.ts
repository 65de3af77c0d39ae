import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { ApiRequestError, createApiClient } from './api-client.js';

/** Just enough of `XMLHttpRequest` to play a server: the test drives progress and the answer. */
class FakeXhr {
  static last: FakeXhr | null = null;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown = undefined;
  aborted = false;
  status = 0;
  statusText = '';
  responseText = '';
  upload: { onprogress: ((event: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = {
    onprogress: null,
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getResponseHeader(_name: string): string | null {
    return null;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true });
  }
  answer(status: number, body: unknown, statusText = '') {
    this.status = status;
    this.statusText = statusText;
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.onload?.();
  }
}

const sent = () => {
  if (!FakeXhr.last) throw new Error('no request was sent');
  return FakeXhr.last;
};
const okSchema = z.object({ id: z.string() });
let unauthorized = 0;
const client = () =>
  createApiClient({ csrfToken: () => 'csrf-1', onUnauthorized: () => (unauthorized += 1), baseUrl: 'https://x.test' });

beforeEach(() => {
  FakeXhr.last = null;
  unauthorized = 0;
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
});
afterEach(() => vi.unstubAllGlobals());

test('upload posts the raw bytes with the CSRF header and the query, reports byte progress and parses the answer', async () => {
  const progress: [number, number][] = [];
  const file = new Blob(['hello world']);
  const result = client().upload('/api/documents', file, okSchema, {
    query: { filename: 'a b.md', audience: 'private' },
    onProgress: (done, total) => progress.push([done, total]),
  });
  const xhr = sent();
  expect(xhr.method).toBe('POST');
  expect(xhr.url).toBe('https://x.test/api/documents?filename=a+b.md&audience=private');
  expect(xhr.headers).toMatchObject({
    'Content-Type': 'application/octet-stream',
    Accept: 'application/json',
    'X-CSRF-Token': 'csrf-1',
  });
  expect(xhr.headers.traceparent).toBe(
    `00-${xhr.headers['X-Request-Id']}-${xhr.headers.traceparent?.slice(36, 52)}-01`,
  );
  expect(xhr.headers['X-Request-Id']).toMatch(/^[0-9a-f]{32}$/);
  expect(xhr.body).toBe(file);
  xhr.progress(4, 11);
  xhr.progress(11, 11);
  xhr.answer(201, { id: 'd1', extra: true });
  await expect(result).resolves.toEqual({ id: 'd1' });
  expect(progress).toEqual([
    [4, 11],
    [11, 11],
  ]);
});

test('an error answer maps to ApiRequestError like send does, keeping the whole body', async () => {
  const result = client().upload('/api/documents', new Blob(['x']), okSchema);
  const duplicate = { code: 'document.duplicate', message: 'You uploaded this file already.', document: { id: 'd0' } };
  sent().answer(409, duplicate, 'Conflict');
  const error = await result.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ApiRequestError);
  expect(error).toMatchObject({ status: 409, code: 'document.duplicate', body: duplicate });

  const tooLarge = client().upload('/api/documents', new Blob(['x']), okSchema);
  sent().answer(413, '<html>proxy says no</html>', 'Payload Too Large');
  await expect(tooLarge).rejects.toMatchObject({ status: 413, code: 'internal', message: '413 Payload Too Large' });
  expect(unauthorized).toBe(0);
});

test('401 tells the shell the session is gone; a dropped connection is a network error', async () => {
  const signedOut = client().upload('/api/documents', new Blob(['x']), okSchema);
  sent().answer(401, { code: 'auth.required', message: 'Sign in.' });
  await expect(signedOut).rejects.toMatchObject({ status: 401, code: 'auth.required' });
  expect(unauthorized).toBe(1);

  const dropped = client().upload('/api/documents', new Blob(['x']), okSchema);
  sent().onerror?.();
  await expect(dropped).rejects.toMatchObject({ status: 0, code: 'network' });
});

test('aborting the signal aborts the request and rejects with AbortError; an aborted signal sends nothing', async () => {
  const controller = new AbortController();
  const result = client().upload('/api/documents', new Blob(['x']), okSchema, { signal: controller.signal });
  const xhr = sent();
  controller.abort();
  expect(xhr.aborted).toBe(true);
  await expect(result).rejects.toMatchObject({ name: 'AbortError' });

  FakeXhr.last = null;
  await expect(
    client().upload('/api/documents', new Blob(['x']), okSchema, { signal: controller.signal }),
  ).rejects.toMatchObject({ name: 'AbortError' });
  expect(FakeXhr.last).toBeNull();
});
