import type { ArtifactFile } from '@atrium/contracts';
import { AppError } from '../errors.js';
import { maxArtifactBytes } from './artifacts.js';
import { sha384Hex } from './integrity.js';

export type Fetch = typeof fetch;

/** The base every file path resolves against, always ending in `/`. */
export function normaliseBase(origin: string): string {
  return origin.endsWith('/') ? origin : `${origin}/`;
}

export function assertAllowedOrigin(base: string, allowList: readonly string[]): void {
  const url = new URL(base);
  if (!allowList.includes(url.origin) || url.search || url.hash || url.username || url.password) {
    throw new AppError(
      'registry.origin_not_allowed',
      400,
      `${url.origin} is not an allowed remote origin. Allowed: ${allowList.join(', ') || 'none (set ATRIUM_REMOTE_ORIGINS)'}.`,
    );
  }
}

const tooLarge = () => new Error('larger than 20 MB');

/** Reads a body up to `maxBytes`: a declared length is not trusted, a chunked body counts as it arrives. */
async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge();
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

async function fetchFile(fetchImpl: Fetch, url: string): Promise<Uint8Array> {
  try {
    // No redirects: an allow-listed origin must not bounce the BFF somewhere else.
    const response = await fetchImpl(url, { redirect: 'error', signal: AbortSignal.timeout(15_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return await readCapped(response, maxArtifactBytes);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new AppError('registry.origin_unreachable', 400, `Could not fetch ${url}: ${why}.`);
  }
}

/** Fetches every file from the origin and checks its sha384: a version never points at bytes nobody verified. */
export async function verifyExternalFiles(
  fetchImpl: Fetch,
  base: string,
  files: readonly ArtifactFile[],
): Promise<void> {
  const queue = [...files];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const url = new URL(file.path, base).href;
      const actual = sha384Hex(await fetchFile(fetchImpl, url));
      if (actual !== file.sha384) {
        throw new AppError(
          'registry.hash_mismatch',
          400,
          `${file.path} at ${url} hashes to ${actual}, not ${file.sha384}.`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, files.length) }, worker));
}
