import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Names that keep their name across builds; everything else carries a content hash and never changes. */
const mutableNames = new Set(['index.html', 'remoteEntry.js', 'mf-manifest.json']);

export function cacheControlOf(file: string): string {
  return mutableNames.has(path.basename(file)) ? 'no-cache' : 'public, max-age=31536000, immutable';
}

/**
 * Resolves a URL path inside `root`, or null when it would leave it. Decoding happens once,
 * before resolving, so `%2e%2e/` cannot sneak past the prefix check.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = path.resolve(root);
  const resolved = path.resolve(base, `.${path.posix.sep}${decoded}`);
  return resolved.startsWith(base + path.sep) ? resolved : null;
}

export async function readStaticFile(file: string): Promise<Buffer | null> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return null;
  return readFile(file);
}
