import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDocumentStore, type DocumentStore, FileTooLargeError } from './store.js';

let dir: string;
let store: DocumentStore;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'atrium-store-'));
  store = createDocumentStore({ dir });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const filesUnder = (sub: string) =>
  readdirSync(path.join(dir, sub), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());

async function* pieces(...parts: string[]) {
  for (const part of parts) yield new TextEncoder().encode(part);
}

describe('document store', () => {
  it('stores a stream under its SHA-256, in <dir>/sha256/<ab>/<hex>, and reads it back', async () => {
    const stored = await store.write(pieces('hello ', 'world'));
    const bytes = new TextEncoder().encode('hello world');
    expect(stored).toEqual({
      sha256: hex(bytes),
      sizeBytes: 11,
      path: path.join(dir, 'sha256', hex(bytes).slice(0, 2), hex(bytes)),
    });
    expect(readFileSync(stored.path, 'utf8')).toBe('hello world');
    expect((await store.read(stored.sha256)).toString('utf8')).toBe('hello world');
    expect(await store.exists(stored.sha256)).toBe(true);
    expect(filesUnder('tmp')).toEqual([]);
  });

  it('gives the same bytes the same file', async () => {
    const a = await store.write(new TextEncoder().encode('same'));
    const b = await store.write(pieces('sa', 'me'));
    expect(b.path).toBe(a.path);
    expect(filesUnder('sha256')).toHaveLength(1);
  });

  it('refuses a stream past the byte limit and leaves nothing on disk', async () => {
    await expect(store.write(pieces('12345', '6'), { maxBytes: 5 })).rejects.toBeInstanceOf(FileTooLargeError);
    expect(filesUnder('tmp')).toEqual([]);
    const exact = await store.write(pieces('12', '345'), { maxBytes: 5 });
    expect(exact.sizeBytes).toBe(5);
  });

  it('removes the temporary file when the source fails or the write is aborted', async () => {
    async function* broken() {
      yield new TextEncoder().encode('part of it');
      throw new Error('client went away');
    }
    await expect(store.write(broken())).rejects.toThrow('client went away');
    const controller = new AbortController();
    async function* cancelled() {
      yield new TextEncoder().encode('part');
      controller.abort(new Error('cancelled'));
      yield new TextEncoder().encode('rest');
    }
    await expect(store.write(cancelled(), { signal: controller.signal })).rejects.toThrow('cancelled');
    expect(filesUnder('tmp')).toEqual([]);
  });

  it('never builds a path from anything but a SHA-256 hex digest', async () => {
    for (const name of ['../../etc/passwd', 'report.pdf', 'A'.repeat(64), `${'a'.repeat(63)}/`, '']) {
      expect(() => store.pathOf(name)).toThrow('not a SHA-256 hex digest');
      await expect(store.read(name)).rejects.toThrow('not a SHA-256 hex digest');
    }
  });

  it('removes a file, and removing a missing one is not an error', async () => {
    const stored = await store.write(new TextEncoder().encode('bye'));
    await store.remove(stored.sha256);
    await store.remove(stored.sha256);
    expect(await store.exists(stored.sha256)).toBe(false);
    await expect(store.read(stored.sha256)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
