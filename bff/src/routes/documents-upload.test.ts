import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiErrorSchema, duplicateDocumentErrorSchema } from '@atrium/contracts';
import { serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentChunks, documents, jobs } from '../db/schema/index.js';
import { Browser } from '../testing/browser.js';
import { expectNoOrphans, ingestAll, postDocument, storedFiles, uploadDocument } from '../testing/document-api.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

/*
 * Upload bad input (issue 9 item 9): each ends in a clear status or a 4xx, and leaves no
 * temporary file, no row and no job behind.
 */

const limit = 64 * 1024;
let t: TestApp;
let counter = 0;

beforeAll(async () => {
  t = await createTestApp({ env: { ATRIUM_WORKER: 'off', ATRIUM_UPLOAD_MAX_BYTES: String(limit) } });
});
afterAll(() => t.close());

/** A new user each time, so "no row, no job" is about this upload alone. */
async function uploader() {
  counter += 1;
  const user = await t.createUser({ email: `uploader-${counter}@example.com` });
  const browser = new Browser(t);
  await browser.signIn(user.email, testPassword);
  return { browser, userId: user.id };
}

const rowsOf = (ownerId: string) => t.db.select().from(documents).where(eq(documents.ownerId, ownerId));
const code = async (response: Response) => apiErrorSchema.parse(await response.json()).code;

/** Nothing of the upload is left: no document of this user, and no orphans at all (see `expectNoOrphans`). */
async function expectNothingLeft(ownerId: string) {
  expect(await rowsOf(ownerId)).toEqual([]);
  await expectNoOrphans(t);
}

/** A body that yields `bytes` in 4 KB pieces, then (optionally) fails as a broken connection does. */
function streamOf(bytes: number, options: { failAfter?: boolean; pulls?: { count: number } } = {}) {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (options.pulls) options.pulls.count += 1;
      if (sent >= bytes) {
        if (options.failAfter) controller.error(new Error('socket hang up'));
        else controller.close();
        return;
      }
      const piece = Math.min(4096, bytes - sent);
      sent += piece;
      controller.enqueue(new Uint8Array(piece).fill(0x61));
    },
  });
}

async function failure(documentId: string) {
  await ingestAll(t);
  const [row] = await t.db.select().from(documents).where(eq(documents.id, documentId));
  return { status: row!.status, code: row!.failure?.code ?? null };
}

describe('upload bad input', () => {
  it('accepts an empty file and fails it as document.no_text, with no chunks', async () => {
    const { browser } = await uploader();
    const document = await uploadDocument(browser, { filename: 'empty.txt', bytes: new Uint8Array(0) });
    expect(document.sizeBytes).toBe(0);
    expect(await failure(document.id)).toEqual({ status: 'failed', code: 'document.no_text' });
    expect(await t.db.select().from(documentChunks).where(eq(documentChunks.documentId, document.id))).toEqual([]);
  });

  it('answers 413 from Content-Length one byte over the limit, before reading the body', async () => {
    const { browser, userId } = await uploader();
    const pulls = { count: 0 };
    const response = await browser.upload('/api/documents?filename=big.txt', streamOf(limit + 1, { pulls }), {
      'Content-Length': String(limit + 1),
    });
    expect(response.status).toBe(413);
    expect(await code(response)).toBe('request.too_large');
    expect(response.headers.get('connection')).toBe('close');
    expect(pulls.count).toBeLessThanOrEqual(1); // a stream may prefetch one piece on creation; none is consumed
    await expectNothingLeft(userId);
  });

  it('answers 413 mid-stream one byte over the limit when no length was sent, and keeps nothing', async () => {
    const { browser, userId } = await uploader();
    const response = await browser.upload('/api/documents?filename=big.txt', streamOf(limit + 1));
    expect(response.status).toBe(413);
    expect(await code(response)).toBe('request.too_large');
    await expectNothingLeft(userId);
    const exactly = await uploadDocument(browser, { filename: 'exact.txt', bytes: new Uint8Array(limit).fill(0x61) });
    expect(exactly.sizeBytes).toBe(limit);
  });

  it('fails a renamed executable as document.unsupported_type: the bytes decide, not the name', async () => {
    const { browser } = await uploader();
    const exe = new Uint8Array(512);
    exe.set([0x4d, 0x5a, 0x90, 0x00, 0x03]); // "MZ": a Windows executable
    const document = await uploadDocument(browser, { filename: 'manual.pdf', bytes: exe });
    expect(await failure(document.id)).toEqual({ status: 'failed', code: 'document.unsupported_type' });
  });

  it('never uses a filename with ../ as a path: the file is stored by its hash, the name shown without folders', async () => {
    const { browser, userId } = await uploader();
    const document = await uploadDocument(browser, {
      filename: '../../../outside.md',
      bytes: '# Outside\n\nNot really.',
    });
    expect(document.filename).toBe('outside.md');
    expect(storedFiles(t, 'sha256')).toContain(document.sha256);
    expect(storedFiles(t, 'sha256')).not.toContain('outside.md');

    const nothing = await postDocument(browser, { filename: '../', bytes: 'x' });
    expect(nothing.status).toBe(400);
    expect(apiErrorSchema.parse(await nothing.json()).issues?.[0]?.path).toBe('filename');
    expect(await rowsOf(userId)).toHaveLength(1);
    await expectNoOrphans(t);
  });

  it('strips control and direction characters from the name shown; a name of nothing else is refused', async () => {
    const { browser, userId } = await uploader();
    const document = await uploadDocument(browser, {
      filename: 'in\u0001voice\u001b[31m\u202Efdp.exe',
      bytes: 'An invoice.',
    });
    expect(document.filename).toBe('invoice[31mfdp.exe');
    expect(document.title).toBe('invoice[31mfdp');
    const blank = await postDocument(browser, { filename: '\u0007\u0008\u202E', bytes: 'x' });
    expect(blank.status).toBe(400);
    expect(await rowsOf(userId)).toHaveLength(1);
  });

  it('refuses a 1,000-character filename with 400 before reading the body', async () => {
    const { browser, userId } = await uploader();
    const response = await postDocument(browser, { filename: `${'a'.repeat(997)}.md`, bytes: '# Long' });
    expect(response.status).toBe(400);
    expect(await code(response)).toBe('request.invalid');
    await expectNothingLeft(userId);
    const longest = await uploadDocument(browser, { filename: `${'b'.repeat(252)}.md`, bytes: '# Long enough' });
    expect(longest.title).toHaveLength(200);
  });

  it('recognises a duplicate by its hash: 409 with the existing document, no second row, job or file', async () => {
    const { browser, userId } = await uploader();
    const first = await uploadDocument(browser, { filename: 'a.md', bytes: '# Same\n\nSame bytes.' });
    const files = storedFiles(t, 'sha256').length;
    const again = await postDocument(browser, { filename: 'b.md', bytes: '# Same\n\nSame bytes.' });
    expect(again.status).toBe(409);
    expect(duplicateDocumentErrorSchema.parse(await again.json()).document.id).toBe(first.id);
    expect(await rowsOf(userId)).toHaveLength(1);
    expect(
      await t.db
        .select()
        .from(jobs)
        .where(eq(jobs.key, `${first.id}:1`)),
    ).toHaveLength(1);
    expect(storedFiles(t, 'sha256')).toHaveLength(files);
    await expectNoOrphans(t);
  });

  it('keeps nothing of an upload whose body breaks off', async () => {
    const { browser, userId } = await uploader();
    const response = await browser.upload('/api/documents?filename=cut.txt', streamOf(20_000, { failAfter: true }));
    expect(response.status).toBe(400);
    expect(await code(response)).toBe('request.invalid');
    await expectNothingLeft(userId);
  });

  it('keeps nothing of an upload the client aborts mid-body over a real connection', async () => {
    const { browser, userId } = await uploader();
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as AddressInfo;
    try {
      const requestsBefore = t.logs.filter((l) => l.msg === 'request' && l.path === '/api/documents').length;
      const request = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/documents?filename=aborted.txt',
        headers: {
          Origin: `http://127.0.0.1:${port}`,
          'Sec-Fetch-Site': 'same-origin',
          'Content-Type': 'application/octet-stream',
          'Content-Length': String(limit),
          'X-CSRF-Token': browser.csrfToken!,
          Cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        },
      });
      request.on('error', () => undefined);
      request.write(new Uint8Array(limit / 2).fill(0x61));
      // Abort once the server is writing the file, i.e. mid-body.
      await until(() => storedFiles(t, 'tmp').length > 0);
      request.destroy();
      await until(
        () => t.logs.filter((l) => l.msg === 'request' && l.path === '/api/documents').length > requestsBefore,
      );
      expect(t.logs.filter((l) => l.msg === 'request' && l.path === '/api/documents').at(-1)?.status).toBe(400);
      await expectNothingLeft(userId);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

/** Waits for `condition` (checked every 20 ms, up to 10 s): a state to reach, not a duration to assert. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) throw new Error('the condition never held');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
