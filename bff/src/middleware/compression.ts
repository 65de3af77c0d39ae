import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

type Encoding = 'br' | 'gzip';
const compressible = /^(text\/(html|css|javascript|plain)|application\/(javascript|json|manifest\+json))/;
const minBytes = 1024;

function pickEncoding(acceptEncoding: string | undefined): Encoding | null {
  const accepted = (acceptEncoding ?? '').toLowerCase();
  if (/\bbr\b/.test(accepted)) return 'br';
  if (/\bgzip\b/.test(accepted)) return 'gzip';
  return null;
}

async function compress(body: Uint8Array, encoding: Encoding, immutable: boolean): Promise<Uint8Array<ArrayBuffer>> {
  const compressed =
    encoding === 'gzip'
      ? await gzipAsync(body, { level: immutable ? 9 : 6 })
      : // Immutable files are compressed once and cached, so they get the slower, denser setting.
        await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: immutable ? 11 : 5 } });
  // A copy that owns its memory: zlib hands out views into a shared pool.
  return new Uint8Array(compressed);
}

/** Bounded cache of compressed immutable responses, keyed by URL path and encoding. */
class CompressedCache {
  private entries = new Map<string, Uint8Array<ArrayBuffer>>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}

  get(key: string): Uint8Array<ArrayBuffer> | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: Uint8Array<ArrayBuffer>): void {
    this.entries.set(key, value);
    this.bytes += value.byteLength;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.byteLength;
    }
  }
}

/**
 * Compresses the shell, remote assets and the HTML. Content-hashed (immutable) files are
 * compressed once per encoding and served from memory afterwards. Event streams are never
 * touched: they must flush as they go.
 */
export const compression = (maxCacheBytes = 64 * 1024 * 1024) => {
  const cache = new CompressedCache(maxCacheBytes);
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const encoding = pickEncoding(c.req.header('accept-encoding'));
    const response = c.res;
    const type = response.headers.get('content-type') ?? '';
    if (!encoding || c.req.method !== 'GET' || response.status !== 200) return;
    if (!compressible.test(type) || response.headers.has('content-encoding')) return;
    const immutable = (response.headers.get('cache-control') ?? '').includes('immutable');
    const key = `${encoding} ${c.req.path}`;
    let compressed = immutable ? cache.get(key) : undefined;
    if (!compressed) {
      const body = new Uint8Array(await response.arrayBuffer());
      if (body.byteLength < minBytes) {
        c.res = new Response(body, response);
        return;
      }
      compressed = await compress(body, encoding, immutable);
      if (immutable) cache.set(key, compressed);
    }
    const headers = new Headers(response.headers);
    headers.set('content-encoding', encoding);
    headers.set('content-length', String(compressed.byteLength));
    headers.append('vary', 'Accept-Encoding');
    c.res = new Response(compressed, { status: response.status, headers });
  });
};
