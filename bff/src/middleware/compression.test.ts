import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.js';
import { compression } from './compression.js';

const script = 'console.log("atrium");\n'.repeat(200);

function app() {
  const hono = new Hono<AppEnv>();
  hono.use('*', compression());
  hono.get('/asset.js', (c) =>
    c.body(script, 200, { 'content-type': 'text/javascript', 'cache-control': 'public, max-age=31536000, immutable' }),
  );
  hono.get('/tiny.js', (c) => c.body('1', 200, { 'content-type': 'text/javascript' }));
  hono.get('/events', (c) => c.body(script, 200, { 'content-type': 'text/event-stream' }));
  return hono;
}

describe('compression', () => {
  it('serves brotli when accepted and gzip otherwise, with Vary', async () => {
    const hono = app();
    const br = await hono.request('/asset.js', { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toContain('Accept-Encoding');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(script);

    const gz = await hono.request('/asset.js', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(script);
  });

  it('serves the same bytes again from its cache for immutable files', async () => {
    const hono = app();
    const first = await hono.request('/asset.js', { headers: { 'Accept-Encoding': 'br' } });
    const second = await hono.request('/asset.js', { headers: { 'Accept-Encoding': 'br' } });
    expect(Buffer.from(await second.arrayBuffer())).toEqual(Buffer.from(await first.arrayBuffer()));
  });

  it('leaves identity requests, tiny bodies and event streams alone', async () => {
    const hono = app();
    const plain = await hono.request('/asset.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(script);
    const tiny = await hono.request('/tiny.js', { headers: { 'Accept-Encoding': 'br' } });
    expect(tiny.headers.get('content-encoding')).toBeNull();
    const events = await hono.request('/events', { headers: { 'Accept-Encoding': 'br' } });
    expect(events.headers.get('content-encoding')).toBeNull();
  });
});
