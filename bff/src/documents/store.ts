import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** A file in the store: its key (hex SHA-256 of the bytes), its size in bytes and where it lives. */
export interface StoredFile {
  sha256: string;
  sizeBytes: number;
  path: string;
}

/** Thrown by `write` when the source goes past `maxBytes`; nothing is left on disk. */
export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`The file is larger than ${limitBytes} bytes.`);
  }
}

export interface DocumentStore {
  readonly dir: string;
  /**
   * Streams `source` to a temporary file while hashing it, then renames it into place at
   * `<dir>/sha256/<first two hex>/<hex>`. The same bytes twice give the same file. Throws
   * `FileTooLargeError` past `maxBytes`; on any error or abort the temporary file is removed.
   */
  write(
    source: AsyncIterable<Uint8Array> | Uint8Array,
    options?: { maxBytes?: number; signal?: AbortSignal },
  ): Promise<StoredFile>;
  /** The whole file; `ENOENT` (code on the error) when it is not stored. */
  read(sha256: string): Promise<Buffer>;
  exists(sha256: string): Promise<boolean>;
  /**
   * Removes the file; no error when it is already gone. Several documents (of different
   * owners) can share one file: the caller removes it only when no document row names it.
   */
  remove(sha256: string): Promise<void>;
  /** Where the file with this key lives; throws unless `sha256` is 64 lower-case hex digits. */
  pathOf(sha256: string): string;
}

const sha256Pattern = /^[0-9a-f]{64}$/;

/**
 * Content-addressed file store for uploaded documents (design: docs/knowledge-base.md). A path
 * is only ever built from a validated hash, never from a client's filename.
 */
export function createDocumentStore(options: { dir: string }): DocumentStore {
  const dir = path.resolve(options.dir);
  const tmpDir = path.join(dir, 'tmp');

  const pathOf = (sha256: string) => {
    if (!sha256Pattern.test(sha256)) throw new Error('not a SHA-256 hex digest');
    return path.join(dir, 'sha256', sha256.slice(0, 2), sha256);
  };

  return {
    dir,
    pathOf,

    async write(source, { maxBytes = Number.POSITIVE_INFINITY, signal } = {}) {
      await mkdir(tmpDir, { recursive: true });
      // Same filesystem as the final place, so the rename is atomic.
      const tmp = path.join(tmpDir, `${randomUUID()}.part`);
      const hash = createHash('sha256');
      let sizeBytes = 0;
      const file = await open(tmp, 'wx', 0o600);
      try {
        const chunks = source instanceof Uint8Array ? [source] : source;
        for await (const chunk of chunks) {
          signal?.throwIfAborted();
          sizeBytes += chunk.byteLength;
          if (sizeBytes > maxBytes) throw new FileTooLargeError(maxBytes);
          hash.update(chunk);
          await file.write(chunk);
        }
        signal?.throwIfAborted();
        await file.datasync();
        await file.close();
        const sha256 = hash.digest('hex');
        const target = pathOf(sha256);
        await mkdir(path.dirname(target), { recursive: true });
        await rename(tmp, target);
        return { sha256, sizeBytes, path: target };
      } catch (error) {
        await file.close().catch(() => undefined);
        await rm(tmp, { force: true });
        throw error;
      }
    },

    read: async (sha256) => readFile(pathOf(sha256)),

    async exists(sha256) {
      try {
        return (await stat(pathOf(sha256))).isFile();
      } catch {
        return false;
      }
    },

    async remove(sha256) {
      await rm(pathOf(sha256), { force: true });
    },
  };
}
