import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasHttp2Directive, type NginxRenderOptions, nginxConfPath, renderNginxConfig, untemplated } from './nginx.js';

/*
 * The renderer behind bff/src/nginx-topology.multi.test.ts: it may change only what differs
 * natively, and it must notice when deploy/nginx.conf no longer has a line it replaces. These run
 * without nginx; the multi-instance suite runs the rendered config.
 */

const source = readFileSync(nginxConfPath, 'utf8');
const options: NginxRenderOptions = {
  upstreams: ['127.0.0.1:4001', '127.0.0.1:4002'],
  httpPort: 8080,
  httpsPort: 8443,
  certificate: '/tmp/x/tls.crt',
  certificateKey: '/tmp/x/tls.key',
  prefix: '/tmp/x/nginx',
  http2Directive: true,
};
const lines = (text: string) => text.split('\n').map((line) => line.trim());

/** The directives of the block opened by `opener` (nested blocks included), trimmed. */
function block(text: string, opener: string): string[] {
  const all = lines(text);
  const start = all.indexOf(opener);
  if (start < 0) throw new Error(`no "${opener}" in the config`);
  let depth = 0;
  for (let i = start; i < all.length; i++) {
    depth += (all[i]!.match(/\{/g) ?? []).length - (all[i]!.match(/\}/g) ?? []).length;
    if (depth === 0) return all.slice(start + 1, i).filter((line) => line && !line.startsWith('#'));
  }
  throw new Error(`"${opener}" is never closed`);
}

describe('deploy/nginx.conf rendered for a native nginx', () => {
  it('changes only upstreams, listen ports, certificate paths and what a non-root nginx needs', () => {
    const rendered = renderNginxConfig(source, options);
    expect(untemplated(rendered)).toBe(untemplated(source));
    expect(block(rendered, 'upstream bff {')).toEqual([
      'zone bff 64k;',
      'server 127.0.0.1:4001;',
      'server 127.0.0.1:4002;',
      'keepalive 64;',
      'keepalive_timeout 4s;',
    ]);
    expect(lines(rendered)).toEqual(
      expect.arrayContaining([
        'listen 127.0.0.1:8080;',
        'listen 127.0.0.1:8443 ssl;',
        'http2 on;',
        'ssl_certificate /tmp/x/tls.crt;',
        'ssl_certificate_key /tmp/x/tls.key;',
        'pid /tmp/x/nginx/nginx.pid; # native test only',
      ]),
    );
    const directives = lines(rendered).filter((line) => !line.startsWith('#'));
    expect(directives.filter((line) => /bff-\d|\/etc\/nginx|listen 80;|listen 443/.test(line))).toEqual([]);
    // The location blocks are the source's, character for character.
    expect(block(rendered, 'location / {')).toEqual(block(source, 'location / {'));
    expect(block(rendered, 'location = /metrics {')).toEqual(block(source, 'location = /metrics {'));
  });

  it('puts http2 on the listen line for nginx before 1.25.1 (Debian 12 ships 1.22)', () => {
    const rendered = renderNginxConfig(source, { ...options, http2Directive: false });
    expect(lines(rendered)).toContain('listen 127.0.0.1:8443 ssl http2;');
    expect(lines(rendered)).not.toContain('http2 on;');
    expect(hasHttp2Directive([1, 22, 1])).toBe(false);
    expect(hasHttp2Directive([1, 25, 0])).toBe(false);
    expect(hasHttp2Directive([1, 25, 1])).toBe(true);
    expect(hasHttp2Directive([1, 27, 3])).toBe(true);
    expect(hasHttp2Directive([2, 0, 0])).toBe(true);
  });

  it('refuses a config whose native lines it cannot find, rather than testing something else', () => {
    expect(() => renderNginxConfig(source.replace('listen 443 ssl;', 'listen 8443 ssl;'), options)).toThrow(
      /the https listen/,
    );
    expect(() => renderNginxConfig(source.replace(/server bff-\d+:3000;/g, 'server app:3000;'), options)).toThrow(
      /the upstream servers/,
    );
    expect(() => renderNginxConfig(source.replace('tls.key;', 'key.pem;'), options)).toThrow(/the certificate key/);
    expect(() => renderNginxConfig(source, { ...options, upstreams: [] })).toThrow(/at least one upstream/);
  });
});

describe('deploy/nginx.conf settings for event streams and failover', () => {
  const location = block(source, 'location / {');

  it('streams server-sent events unbuffered over HTTP/1.1 keep-alive, with long reads and no gzip', () => {
    expect(location).toEqual(
      expect.arrayContaining([
        'proxy_pass http://bff;',
        'proxy_http_version 1.1;',
        'proxy_set_header Connection "";',
        'proxy_buffering off;',
        'proxy_cache off;',
        'proxy_read_timeout 1h;',
      ]),
    );
    expect(lines(source).filter((line) => /^gzip\b/.test(line))).toEqual([]);
  });

  it('forwards the client address and scheme, and retries only requests a BFF never received or may repeat', () => {
    expect(location).toEqual(
      expect.arrayContaining([
        'proxy_set_header Host $host;',
        'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
        'proxy_set_header X-Forwarded-Proto https;',
        'proxy_next_upstream error timeout;',
      ]),
    );
    expect(lines(source).filter((line) => line.startsWith('proxy_next_upstream'))).toEqual([
      'proxy_next_upstream error timeout;',
    ]);
  });

  it('lists exactly the BFF services docker-compose.yml runs, and compose mounts this file', () => {
    const compose = readFileSync(path.resolve(path.dirname(nginxConfPath), '../docker-compose.yml'), 'utf8');
    const services = [...compose.matchAll(/^ {2}(bff-\d+): \*bff$/gm)].map((m) => `server ${m[1]}:3000;`);
    expect(services.length).toBeGreaterThan(1);
    expect(block(source, 'upstream bff {').filter((line) => line.startsWith('server '))).toEqual(services);
    expect(compose).toContain('./deploy/nginx.conf:/etc/nginx/nginx.conf:ro');
    expect(compose).toContain('ATRIUM_TRUST_PROXY: "true"');
  });
});
