import { apiErrorSchema, publishResponseSchema, remoteMapSchema } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts } from '../db/schema/index.js';
import { Browser } from '../testing/browser.js';
import { buildOf, createToken, publish } from '../testing/registry-publisher.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

const cdn = 'https://cdn.example.com';
/** What the fake CDN serves: URL → body. */
const served = new Map<string, string | (() => ReadableStream<Uint8Array>)>();
const fetched: string[] = [];

let t: TestApp;
let admin: Browser;
let token: string;
beforeAll(async () => {
  t = await createTestApp({
    env: { ATRIUM_REMOTE_ORIGINS: `${cdn}, https://other.example.com` },
    fetch: async (input) => {
      const url = String(input);
      fetched.push(url);
      const body = served.get(url);
      if (body === undefined) return new Response('no', { status: 404 });
      return new Response(typeof body === 'function' ? body() : body);
    },
  });
  await t.createUser({ email: 'root@example.com', role: 'admin' });
  admin = new Browser(t);
  await admin.signIn('root@example.com', testPassword);
  token = await createToken(admin, 'upload-ui');
});
afterAll(() => t.close());

function serve(base: string, build: Record<string, string>) {
  for (const [path, body] of Object.entries(build)) served.set(`${base}${path}`, body);
}

describe('versions on an allow-listed origin', () => {
  it('fetches and verifies every file at publish time, stores no bytes, and resolves to the origin', async () => {
    const build = buildOf('upload-ui', '1.0.0');
    serve(`${cdn}/upload-ui/1.0.0/`, build);
    const before = (await t.db.select({ sha: artifacts.sha384 }).from(artifacts)).length;
    const response = await publish(t, token, 'upload-ui', '1.0.0', build, { origin: `${cdn}/upload-ui/1.0.0` });
    expect(response.status).toBe(201);
    const { version, entryUrl } = publishResponseSchema.parse(await response.json());
    expect(version.origin).toBe(`${cdn}/upload-ui/1.0.0/`);
    expect(entryUrl).toBe(`${cdn}/upload-ui/1.0.0/remoteEntry.js`);
    expect(fetched.sort()).toEqual(
      Object.keys(build)
        .map((path) => `${cdn}/upload-ui/1.0.0/${path}`)
        .sort(),
    );
    expect((await t.db.select({ sha: artifacts.sha384 }).from(artifacts)).length).toBe(before);

    await admin.fetch('POST', '/api/registry/remotes/upload-ui/promote', {
      body: { version: '1.0.0', reason: 'first' },
    });
    const map = remoteMapSchema.parse(await (await admin.fetch('GET', '/api/remotes')).json());
    expect(map.remotes['upload-ui']).toMatchObject({ entry: entryUrl, integrity: version.integrity });
    expect((await t.app.request('http://localhost/remotes/upload-ui/1.0.0/remoteEntry.js')).status).toBe(404);
  });

  it('refuses a file whose bytes on the origin do not match, naming it', async () => {
    const build = buildOf('upload-ui', '1.1.0');
    serve(`${cdn}/u/`, { ...build, 'remoteEntry.js': 'tampered' });
    const response = await publish(t, token, 'upload-ui', '1.1.0', build, { origin: `${cdn}/u/` });
    expect(response.status).toBe(400);
    const error = apiErrorSchema.parse(await response.json());
    expect(error.code).toBe('registry.hash_mismatch');
    expect(error.message).toContain('remoteEntry.js');
  });

  it('refuses an origin off the allow-list and says when the origin is unreachable', async () => {
    const build = buildOf('upload-ui', '1.2.0');
    const off = await publish(t, token, 'upload-ui', '1.2.0', build, { origin: 'https://cdn.example.com.evil.net/' });
    expect(apiErrorSchema.parse(await off.json()).code).toBe('registry.origin_not_allowed');
    const missing = await publish(t, token, 'upload-ui', '1.2.0', build, { origin: `${cdn}/nothing-here/` });
    expect(missing.status).toBe(400);
    expect(apiErrorSchema.parse(await missing.json()).code).toBe('registry.origin_unreachable');
  });

  it('refuses a file past 20 MB even when the origin does not declare its length', async () => {
    const build = buildOf('upload-ui', '1.3.0');
    serve(`${cdn}/big/`, build);
    // A chunked body with no Content-Length, 1 MB at a time, past the 20 MB every artifact is held to.
    let sent = 0;
    served.set(
      `${cdn}/big/remoteEntry.js`,
      () =>
        new ReadableStream({
          pull(controller) {
            if (sent++ > 20) controller.close();
            else controller.enqueue(new Uint8Array(1024 * 1024));
          },
        }),
    );
    const response = await publish(t, token, 'upload-ui', '1.3.0', build, { origin: `${cdn}/big/` });
    expect(response.status).toBe(400);
    const error = apiErrorSchema.parse(await response.json());
    expect(error).toMatchObject({ code: 'registry.origin_unreachable' });
    expect(error.message).toContain('larger than 20 MB');
  });

  it('allows the listed origins in the CSP', async () => {
    const response = await t.app.request('http://localhost/', { headers: { Accept: 'text/html' } });
    const csp = response.headers.get('content-security-policy');
    expect(csp).toContain(`script-src 'self' ${cdn} https://other.example.com;`);
  });
});
