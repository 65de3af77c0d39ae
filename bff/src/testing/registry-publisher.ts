import { createHash } from 'node:crypto';
import { createDeployTokenResponseSchema, publishStartResponseSchema } from '@atrium/contracts';
import type { Browser } from './browser.js';
import type { TestApp } from './test-app.js';

export const sha384 = (text: string) => createHash('sha384').update(text).digest('hex');

/** A build as files: path → content. */
export type Build = Record<string, string>;

export function filesOf(build: Build) {
  return Object.entries(build).map(([path, content]) => ({
    path,
    sha384: sha384(content),
    size: Buffer.byteLength(content),
  }));
}

/** The CLI's side of the protocol: JSON with a bearer deploy token, no cookies, no Origin. */
export function withToken(t: TestApp, secret: string) {
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.app.request(`http://localhost${path}`, {
      method,
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' || body === undefined ? body : JSON.stringify(body),
    });
}

export async function createToken(admin: Browser, remote: string): Promise<string> {
  const response = await admin.fetch('POST', '/api/registry/tokens', { body: { remote, name: `${remote} CI` } });
  return createDeployTokenResponseSchema.parse(await response.json()).secret;
}

/** Start, upload what is missing, commit: the commit's response. */
export async function publish(
  t: TestApp,
  secret: string,
  remote: string,
  version: string,
  build: Build,
  extra: { contract?: string; origin?: string; fields?: Record<string, unknown> } = {},
): Promise<Response> {
  const call = withToken(t, secret);
  const start = await call('POST', `/api/registry/remotes/${remote}/publish`, {
    version,
    contract: extra.contract ?? `${remote}@1`,
    files: filesOf(build),
    ...(extra.origin ? { origin: extra.origin } : {}),
    ...extra.fields,
  });
  if (start.status !== 200) return start;
  const { uploadId, missing } = publishStartResponseSchema.parse(await start.json());
  for (const content of Object.values(build)) {
    if (!missing.includes(sha384(content))) continue;
    await call('PUT', `/api/registry/blobs/${sha384(content)}`, content, {
      'Content-Type': 'application/octet-stream',
    });
  }
  return call('POST', `/api/registry/remotes/${remote}/publish/commit`, { uploadId });
}

export const buildOf = (remote: string, version: string): Build => ({
  'remoteEntry.js': `var ${remote.replace('-', '_')} = { version: '${version}' };`,
  [`static/js/main.${version.replaceAll('.', '')}.js`]: `export const v = '${version}';`,
});
