import { readFile } from 'node:fs/promises';
import type { DistFile } from './dist-files.js';
import { CliError } from './errors.js';

/** One file per blob the registry asked for: files with the same content are uploaded once. */
export function blobsToUpload(files: readonly DistFile[], missing: readonly string[]): DistFile[] {
  const byHash = new Map<string, DistFile>();
  for (const file of files) if (!byHash.has(file.sha384)) byHash.set(file.sha384, file);
  return [...new Set(missing)].map((sha384) => {
    const file = byHash.get(sha384);
    if (!file)
      throw new CliError(`The registry asked for a blob this publish did not declare (${sha384.slice(0, 12)}…).`);
    return file;
  });
}

export interface UploadOptions {
  blobs: readonly DistFile[];
  /** At most this many uploads in flight. */
  concurrency: number;
  upload(blob: DistFile, bytes: Uint8Array): Promise<void>;
  onUploaded(blob: DistFile): void;
}

/** Reads each file only when its turn comes, so memory holds at most `concurrency` files. Stops at the first failure. */
export async function uploadBlobs(options: UploadOptions): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < options.blobs.length) {
      const blob = options.blobs[next++]!;
      try {
        await options.upload(blob, await readFile(blob.absolutePath));
      } catch (error) {
        failed = true;
        throw error;
      }
      options.onUploaded(blob);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, options.blobs.length));
  await Promise.all(Array.from({ length: workers }, worker));
}
