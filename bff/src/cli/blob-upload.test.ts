import { describe, expect, it, vi } from 'vitest';
import { blobsToUpload, uploadBlobs } from './blob-upload.js';
import type { DistFile } from './dist-files.js';
import { tempDir } from './test-harness.js';

const file = (path: string, sha384: string, absolutePath = '/dev/null'): DistFile => ({
  path,
  sha384: sha384.padEnd(96, '0'),
  size: 10,
  absolutePath,
});

describe('blobsToUpload', () => {
  it('picks one file per missing hash, in the order asked', () => {
    const files = [file('a.js', 'a'), file('copy-of-a.js', 'a'), file('b.js', 'b'), file('c.js', 'c')];
    const picked = blobsToUpload(files, ['c'.padEnd(96, '0'), 'a'.padEnd(96, '0'), 'a'.padEnd(96, '0')]);
    expect(picked.map((blob) => blob.path)).toEqual(['c.js', 'a.js']);
  });

  it('refuses a hash it never declared', () => {
    expect(() => blobsToUpload([file('a.js', 'a')], ['f'.padEnd(96, '0')])).toThrow('did not declare');
  });
});

describe('uploadBlobs', () => {
  const dist = tempDir(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}.js`, `file ${i}`])));
  const blobs = Array.from({ length: 10 }, (_, i) => file(`f${i}.js`, String(i), `${dist.dir}/f${i}.js`));

  it('uploads each blob’s bytes with at most `concurrency` in flight', async () => {
    const waiting: (() => void)[] = [];
    let inFlight = 0;
    let most = 0;
    const sent: string[] = [];
    const done: string[] = [];
    const uploading = uploadBlobs({
      blobs,
      concurrency: 4,
      upload: (blob, bytes) => {
        inFlight++;
        most = Math.max(most, inFlight);
        sent.push(`${blob.path}:${new TextDecoder().decode(bytes)}`);
        return new Promise<void>((resolve) => waiting.push(resolve));
      },
      onUploaded: (blob) => {
        inFlight--;
        done.push(blob.path);
      },
    });
    while (done.length < blobs.length) {
      await vi.waitFor(() => expect(waiting.length).toBeGreaterThan(0));
      waiting.shift()!();
      await vi.waitFor(() => expect(inFlight).toBe(Math.min(4, blobs.length - done.length)));
    }
    await uploading;
    expect(most).toBe(4);
    expect(sent.sort()).toEqual(blobs.map((blob, i) => `${blob.path}:file ${i}`).sort());
  });

  it('stops taking new blobs after a failure and reports it', async () => {
    const started: string[] = [];
    await expect(
      uploadBlobs({
        blobs,
        concurrency: 2,
        upload: async (blob) => {
          started.push(blob.path);
          if (blob.path === 'f1.js') throw new Error('refused');
          await new Promise((resolve) => setImmediate(resolve));
        },
        onUploaded: () => {},
      }),
    ).rejects.toThrow('refused');
    expect(started.length).toBeLessThan(10);
    dist.remove();
  });
});
