import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { TestApp } from './test-app.js';

/*
 * deploy/nginx.conf run natively (no Docker engine on our machines): Debian's nginx, the compose
 * file's own config with only what must differ here replaced. The replaced lines are found by
 * pattern and each must be there exactly as often as expected, so an edit to deploy/nginx.conf
 * that this file does not know fails the test instead of testing something else.
 */

export const nginxConfPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../deploy/nginx.conf');

/** Marks the lines the renderer adds; `untemplated` drops them to compare with the source. */
export const testOnlyMarker = '# native test only';

export interface NginxRenderOptions {
  /** host:port of each BFF, replacing the compose services' `server bff-N:3000;` lines. */
  upstreams: string[];
  /** Where plain http listens (compose: 80) and https (compose: 443), on 127.0.0.1. */
  httpPort: number;
  httpsPort: number;
  certificate: string;
  certificateKey: string;
  /** A writable directory for the pid file, logs and temp files (a non-root nginx). */
  prefix: string;
  /** nginx before 1.25.1 (Debian 12 ships 1.22) has no `http2 on;`: it goes on the listen line. */
  http2Directive: boolean;
}

interface Replacement {
  what: string;
  pattern: RegExp;
  /** How many lines deploy/nginx.conf must have that match. */
  count: number | 'some';
  replace(line: string, indent: string, options: NginxRenderOptions): string[];
}

const replacements: Replacement[] = [
  {
    what: 'the upstream servers',
    pattern: /^server bff-\d+:3000;$/,
    count: 'some',
    // All compose servers collapse into ours, written where the first one was.
    replace: () => [],
  },
  {
    what: 'the plain-http listen',
    pattern: /^listen 80;$/,
    count: 1,
    replace: (_line, indent, o) => [`${indent}listen 127.0.0.1:${o.httpPort};`],
  },
  {
    what: 'the https listen',
    pattern: /^listen 443 ssl;$/,
    count: 1,
    replace: (_line, indent, o) => [`${indent}listen 127.0.0.1:${o.httpsPort} ssl${o.http2Directive ? '' : ' http2'};`],
  },
  {
    what: 'the http2 switch',
    pattern: /^http2 on;$/,
    count: 1,
    replace: (line, indent, o) => (o.http2Directive ? [`${indent}${line}`] : []),
  },
  {
    what: 'the certificate',
    pattern: /^ssl_certificate \/etc\/nginx\/certs\/tls\.crt;$/,
    count: 1,
    replace: (_line, indent, o) => [`${indent}ssl_certificate ${o.certificate};`],
  },
  {
    what: 'the certificate key',
    pattern: /^ssl_certificate_key \/etc\/nginx\/certs\/tls\.key;$/,
    count: 1,
    replace: (_line, indent, o) => [`${indent}ssl_certificate_key ${o.certificateKey};`],
  },
];

/** Directives a non-root nginx needs in the main context: its own pid and error log, in the foreground. */
const mainPreamble = (o: NginxRenderOptions) => [
  `daemon off; ${testOnlyMarker}`,
  `pid ${o.prefix}/nginx.pid; ${testOnlyMarker}`,
  `error_log ${o.prefix}/error.log notice; ${testOnlyMarker}`,
];

/**
 * Inside `http {`: writable log and temp paths, and a response header naming the BFF that
 * answered (inherited by the location, which sets no header of its own), so a test knows which
 * instance served a request, an event stream included, without guessing.
 */
const httpPreamble = (o: NginxRenderOptions) => [
  `  log_format upstream '$request_method $uri $status $upstream_addr'; ${testOnlyMarker}`,
  `  access_log ${o.prefix}/access.log upstream; ${testOnlyMarker}`,
  ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
    (kind) => `  ${kind}_temp_path ${o.prefix}/${kind}_temp; ${testOnlyMarker}`,
  ),
  `  add_header X-Atrium-Upstream $upstream_addr always; ${testOnlyMarker}`,
];

/** deploy/nginx.conf with only the native differences; throws when the source lacks a line it must replace. */
export function renderNginxConfig(source: string, options: NginxRenderOptions): string {
  if (options.upstreams.length === 0) throw new Error('nginx needs at least one upstream');
  const seen = new Map<Replacement, number>();
  const out: string[] = [...mainPreamble(options)];
  let httpOpened = false;
  for (const line of source.split('\n')) {
    const trimmed = line.trim();
    const indent = line.slice(0, line.length - line.trimStart().length);
    const replacement = replacements.find((r) => r.pattern.test(trimmed));
    if (replacement) {
      const n = (seen.get(replacement) ?? 0) + 1;
      seen.set(replacement, n);
      if (replacement.what === 'the upstream servers' && n === 1)
        out.push(...options.upstreams.map((address) => `${indent}server ${address};`));
      out.push(...replacement.replace(trimmed, indent, options));
      continue;
    }
    out.push(line);
    if (trimmed === 'http {') {
      if (httpOpened) throw new Error('deploy/nginx.conf has two http blocks');
      httpOpened = true;
      out.push(...httpPreamble(options));
    }
  }
  if (!httpOpened) throw new Error('deploy/nginx.conf has no "http {" line');
  for (const r of replacements) {
    const n = seen.get(r) ?? 0;
    if (r.count === 'some' ? n === 0 : n !== r.count)
      throw new Error(
        `deploy/nginx.conf: expected ${r.count === 'some' ? 'at least one line' : `${r.count} line(s)`} for ${r.what} (${r.pattern}), found ${n}; update bff/src/testing/nginx.ts with the config`,
      );
  }
  return out.join('\n');
}

/**
 * The config without what the renderer owns (its added lines, the replaced lines): equal for the
 * source and a rendering when everything else (locations, proxy and SSE settings) is byte for byte.
 */
export function untemplated(config: string): string {
  return config
    .split('\n')
    .filter((line) => !line.includes(testOnlyMarker))
    .filter((line) => {
      const trimmed = line.trim();
      return !(
        /^server \S+:\d+;$/.test(trimmed) ||
        /^listen /.test(trimmed) ||
        /^http2 on;$/.test(trimmed) ||
        /^ssl_certificate(_key)? /.test(trimmed)
      );
    })
    .join('\n');
}

/** Runs a command to its end: exit status and everything it printed (nginx reports on stderr). */
function run(binary: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(binary, args, { encoding: 'utf8' });
  if (result.error) return { status: null, output: result.error.message };
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The nginx binary and its version, or a clear failure: the topology suite never skips (.ci/run installs nginx). */
export function requireNginx(): { binary: string; version: [number, number, number] } {
  for (const binary of ['nginx', '/usr/sbin/nginx']) {
    const { status, output } = run(binary, ['-v']);
    const match = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(output);
    if (status === 0 && match) return { binary, version: [Number(match[1]), Number(match[2]), Number(match[3])] };
  }
  throw new Error(
    'The nginx topology suite needs nginx on PATH (Debian: `apt-get install -y nginx`, as .ci/run does). It is never skipped.',
  );
}

/** `http2 on;` exists from nginx 1.25.1. */
export const hasHttp2Directive = ([major, minor, patch]: [number, number, number]) =>
  major > 1 || (major === 1 && (minor > 25 || (minor === 25 && patch >= 1)));

/** A self-signed certificate for localhost and 127.0.0.1 (openssl, as on Debian). */
export function selfSignedCertificate(dir: string): { certificate: string; key: string; pem: string } {
  const certificate = path.join(dir, 'tls.crt');
  const key = path.join(dir, 'tls.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      certificate,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return { certificate, key, pem: readFileSync(certificate, 'utf8') };
}

export interface NginxProcess {
  child: ChildProcess;
  config: string;
  prefix: string;
  /** What `nginx -t` said about the rendered config. */
  configTest: string;
  errorLog(): string;
  accessLog(): string;
  stop(): Promise<void>;
}

/** Renders deploy/nginx.conf into `prefix`, checks it with `nginx -t`, starts nginx in the foreground. */
export async function startNginx(options: Omit<NginxRenderOptions, 'http2Directive'>): Promise<NginxProcess> {
  const { binary, version } = requireNginx();
  const render: NginxRenderOptions = { ...options, http2Directive: hasHttp2Directive(version) };
  mkdirSync(options.prefix, { recursive: true });
  const config = renderNginxConfig(readFileSync(nginxConfPath, 'utf8'), render);
  const file = path.join(options.prefix, 'nginx.conf');
  writeFileSync(file, config);
  const args = ['-p', options.prefix, '-c', file, '-e', path.join(options.prefix, 'error.log')];
  const tested = run(binary, [...args, '-t']);
  if (tested.status !== 0) throw new Error(`nginx -t refused the rendered deploy/nginx.conf:\n${tested.output}`);
  const configTest = tested.output;
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout!.on('data', (piece: Buffer) => output.push(piece.toString()));
  child.stderr!.on('data', (piece: Buffer) => output.push(piece.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const read = (name: string) => {
    try {
      return readFileSync(path.join(options.prefix, name), 'utf8');
    } catch {
      return '';
    }
  };
  // Up once it accepts on the https port.
  for (let i = 0; ; i++) {
    if (child.exitCode !== null)
      throw new Error(`nginx exited with ${child.exitCode}:\n${output.join('')}${read('error.log')}`);
    const up = await new Promise<boolean>((resolve) => {
      const probe = httpsRequest(
        { host: '127.0.0.1', port: options.httpsPort, path: '/', method: 'HEAD', rejectUnauthorized: false },
        (response) => {
          response.resume();
          resolve(true);
        },
      );
      probe.on('error', () => resolve(false));
      probe.end();
    });
    if (up) break;
    if (i > 200) throw new Error(`nginx did not start listening:\n${output.join('')}${read('error.log')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    child,
    config,
    prefix: options.prefix,
    configTest,
    errorLog: () => read('error.log'),
    accessLog: () => read('access.log'),
    stop: async () => {
      // SIGTERM: nginx's fast shutdown (the suite is over; open streams may be cut).
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A target for testing/browser.ts over real HTTPS to `origin` (nginx), trusting only `ca`: the
 * request's path and query go to nginx, which answers as a fetch Response (body streamed as it
 * arrives, every Set-Cookie kept).
 */
export function httpsTarget(origin: string, ca: string): Pick<TestApp, 'app'> {
  const base = new URL(origin);
  const request = (url: string, init: RequestInit = {}): Promise<Response> => {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    return new Promise<Response>((resolve, reject) => {
      const outgoing = httpsRequest(
        {
          host: '127.0.0.1',
          servername: base.hostname,
          port: Number(base.port || 443),
          path: `${target.pathname}${target.search}`,
          method: init.method ?? 'GET',
          headers: { ...Object.fromEntries(headers), host: base.host },
          ca,
          // A fresh connection per request, as independent browser tabs would: no pooled socket
          // ties one test client to one nginx worker.
          agent: false,
        },
        (incoming) => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
          }
          const status = incoming.statusCode ?? 0;
          const nullBody = status === 204 || status === 304 || (init.method ?? 'GET') === 'HEAD';
          if (nullBody) incoming.resume();
          resolve(
            new Response(nullBody ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>), {
              status,
              headers: responseHeaders,
            }),
          );
        },
      );
      outgoing.on('error', reject);
      init.signal?.addEventListener('abort', () => outgoing.destroy(new Error('aborted')));
      const body = init.body;
      if (body === undefined || body === null) outgoing.end();
      else if (typeof body === 'string' || body instanceof Uint8Array) outgoing.end(body);
      else reject(new Error('httpsTarget sends string or byte bodies only'));
    });
  };
  return { app: { request } as unknown as TestApp['app'] };
}
