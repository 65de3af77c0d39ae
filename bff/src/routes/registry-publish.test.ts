import {
  apiErrorSchema,
  deployTokenListResponseSchema,
  publishResponseSchema,
  publishStartResponseSchema,
} from '@atrium/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, releaseHistory, remoteVersions } from '../db/schema/index.js';
import { integrityOf } from '../registry/integrity.js';
import { Browser } from '../testing/browser.js';
import { buildOf, createToken, filesOf, publish, sha384, withToken } from '../testing/registry-publisher.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
let admin: Browser;
let chatToken: string;
beforeAll(async () => {
  t = await createTestApp();
  await t.createUser({ email: 'root@example.com', role: 'admin' });
  await t.createUser({ email: 'ops@example.com', role: 'ops' });
  admin = new Browser(t);
  await admin.signIn('root@example.com', testPassword);
  chatToken = await createToken(admin, 'chat-core');
});
afterAll(() => t.close());

const codeOf = async (response: Response) => apiErrorSchema.parse(await response.json()).code;

describe('deploy tokens', () => {
  it('shows the secret once, lists tokens without it, and only admins manage them', async () => {
    expect(chatToken).toMatch(/^atr_dt_[A-Za-z0-9_-]{43}$/);
    const list = deployTokenListResponseSchema.parse(await (await admin.fetch('GET', '/api/registry/tokens')).json());
    expect(list.tokens).toContainEqual(expect.objectContaining({ remote: 'chat-core', revokedAt: null }));
    expect(JSON.stringify(list)).not.toContain(chatToken);

    const ops = new Browser(t);
    await ops.signIn('ops@example.com', testPassword);
    const refused = await ops.fetch('POST', '/api/registry/tokens', { body: { remote: 'admin', name: 'x' } });
    expect(refused.status).toBe(403);
    const entries = await t.db.select().from(auditLog).where(eq(auditLog.action, 'registry.token_created'));
    expect(entries).toHaveLength(1);
  });

  it('refuses a token for another remote, an unknown or revoked token, and any non-publish route', async () => {
    const scoped = await publish(t, chatToken, 'admin', '9.0.0', buildOf('admin', '9.0.0'), { contract: 'admin@1' });
    expect(scoped.status).toBe(403);
    expect(await codeOf(scoped)).toBe('registry.token_scope');

    const unknown = await publish(t, `atr_dt_${'x'.repeat(43)}`, 'chat-core', '9.0.0', buildOf('chat-core', '9.0.0'));
    expect(unknown.status).toBe(401);
    expect(await codeOf(unknown)).toBe('registry.token_invalid');

    const call = withToken(t, chatToken);
    for (const [method, path, body] of [
      ['GET', '/api/registry/remotes', undefined],
      ['POST', '/api/registry/remotes/chat-core/promote', { version: '1.2.3', reason: 'ship it' }],
      ['POST', '/api/registry/tokens', { remote: 'chat-core', name: 'more' }],
    ] as const) {
      expect((await call(method, path, body)).status, path).toBe(403);
    }

    const secret = await createToken(admin, 'upload-ui');
    const [token] = deployTokenListResponseSchema
      .parse(await (await admin.fetch('GET', '/api/registry/tokens')).json())
      .tokens.filter((tk) => tk.remote === 'upload-ui');
    expect((await admin.fetch('DELETE', `/api/registry/tokens/${token!.id}`)).status).toBe(200);
    const revoked = await publish(t, secret, 'upload-ui', '1.0.0', buildOf('upload-ui', '1.0.0'));
    expect(revoked.status).toBe(401);
  });
});

describe('publish', () => {
  const build = buildOf('chat-core', '1.3.0');

  it('stores a version with its hashes, entry integrity and history, announces it, and serves its files immutably', async () => {
    const before = t.releaseEvents.length;
    const response = await publish(t, chatToken, 'chat-core', '1.3.0', build);
    expect(response.status).toBe(201);
    expect(t.releaseEvents.slice(before)).toEqual([
      { type: 'release.changed', remote: 'chat-core', reason: 'published 1.3.0' },
    ]);
    const { version, entryUrl } = publishResponseSchema.parse(await response.json());
    expect(entryUrl).toBe('/remotes/chat-core/1.3.0/remoteEntry.js');
    expect(version).toMatchObject({
      version: '1.3.0',
      contract: 'chat-core@1',
      status: 'published',
      origin: null,
      integrity: integrityOf(sha384(build['remoteEntry.js']!)),
    });
    expect(version.publishedBy).toEqual({
      kind: 'token',
      id: expect.any(String),
      name: 'chat-core CI',
      remote: 'chat-core',
    });
    expect(version.files).toEqual(filesOf(build));

    const entry = await t.app.request(`http://localhost${entryUrl}`);
    expect(entry.status).toBe(200);
    expect(await entry.text()).toBe(build['remoteEntry.js']);
    expect(entry.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(entry.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(entry.headers.get('cross-origin-resource-policy')).toBe('same-origin');

    const history = await t.db.select().from(releaseHistory).where(eq(releaseHistory.version, '1.3.0'));
    expect(history).toEqual([expect.objectContaining({ action: 'publish', automatic: false })]);
  });

  it('refuses to publish an existing version again (409), before and at commit', async () => {
    const again = await publish(t, chatToken, 'chat-core', '1.3.0', build);
    expect(again.status).toBe(409);
    expect(await codeOf(again)).toBe('registry.version_exists');

    const call = withToken(t, chatToken);
    const body = { version: '1.4.0', contract: 'chat-core@1', files: filesOf(buildOf('chat-core', '1.4.0')) };
    const first = publishStartResponseSchema.parse(
      await (await call('POST', '/api/registry/remotes/chat-core/publish', body)).json(),
    );
    const second = publishStartResponseSchema.parse(
      await (await call('POST', '/api/registry/remotes/chat-core/publish', body)).json(),
    );
    for (const [path, content] of Object.entries(buildOf('chat-core', '1.4.0'))) {
      const put = await call('PUT', `/api/registry/blobs/${sha384(content)}`, content, {
        'Content-Type': 'application/octet-stream',
      });
      expect(put.status, path).toBe(204);
    }
    expect(
      (await call('POST', '/api/registry/remotes/chat-core/publish/commit', { uploadId: first.uploadId })).status,
    ).toBe(201);
    const announced = t.releaseEvents.length;
    const raced = await call('POST', '/api/registry/remotes/chat-core/publish/commit', { uploadId: second.uploadId });
    expect(raced.status).toBe(409);
    expect(t.releaseEvents.length).toBe(announced);
    const rows = await t.db.select().from(remoteVersions).where(eq(remoteVersions.version, '1.4.0'));
    expect(rows).toHaveLength(1);
  });

  it('refuses a blob whose body does not match its hash, and a commit with blobs missing', async () => {
    const call = withToken(t, chatToken);
    const wrong = await call('PUT', `/api/registry/blobs/${sha384('one')}`, 'two', {
      'Content-Type': 'application/octet-stream',
    });
    expect(wrong.status).toBe(400);
    expect(await codeOf(wrong)).toBe('registry.hash_mismatch');

    const files = filesOf(buildOf('chat-core', '1.5.0'));
    const start = await call('POST', '/api/registry/remotes/chat-core/publish', {
      version: '1.5.0',
      contract: 'chat-core@1',
      files,
    });
    const { uploadId, missing } = publishStartResponseSchema.parse(await start.json());
    expect(missing).toHaveLength(2);
    const commit = await call('POST', '/api/registry/remotes/chat-core/publish/commit', { uploadId });
    expect(commit.status).toBe(400);
    const error = apiErrorSchema.parse(await commit.json());
    expect(error.code).toBe('registry.blobs_missing');
    expect(error.issues?.map((issue) => issue.path).sort()).toEqual(files.map((f) => f.path).sort());
    expect(await t.db.select().from(remoteVersions).where(eq(remoteVersions.version, '1.5.0'))).toHaveLength(0);
  });

  it('answers bad input with 4xx and stable codes', async () => {
    const call = withToken(t, chatToken);
    const files = filesOf(buildOf('chat-core', '2.0.0'));
    const cases: [unknown, number, string][] = [
      [{ version: 'latest', contract: 'chat-core@1', files }, 400, 'request.invalid'],
      [{ version: '2.0.0', contract: 'admin@1', files }, 400, 'request.invalid'],
      [{ version: '2.0.0', contract: 'chat-core@1', entry: 'nope.js', files }, 400, 'request.invalid'],
      [
        { version: '2.0.0', contract: 'chat-core@1', files: [{ path: '../x', sha384: sha384(''), size: 0 }] },
        400,
        'request.invalid',
      ],
      [
        { version: '2.0.0', contract: 'chat-core@1', files, origin: 'https://evil.example' },
        400,
        'registry.origin_not_allowed',
      ],
    ];
    for (const [body, status, code] of cases) {
      const response = await call('POST', '/api/registry/remotes/chat-core/publish', body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(await codeOf(response)).toBe(code);
    }
    expect((await call('POST', '/api/registry/remotes/chat-core/publish', '{not json')).status).toBe(400);
    expect((await call('POST', '/api/registry/remotes/nope/publish', { version: '1.0.0' })).status).toBe(404);
    expect((await call('POST', '/api/registry/remotes/chat-core/publish/commit', { uploadId: 'x' })).status).toBe(404);
    expect(
      (await call('PUT', `/api/registry/blobs/${sha384('a')}`, 'a', { 'Content-Type': 'text/plain' })).status,
    ).toBe(415);
  });

  it('lets a signed-in admin publish with the CSRF token, and refuses a session without it', async () => {
    const build = buildOf('auth-ui', '1.0.0');
    const start = await admin.fetch('POST', '/api/registry/remotes/auth-ui/publish', {
      body: { version: '1.0.0', contract: 'auth-ui@1', files: filesOf(build) },
    });
    expect(start.status).toBe(200);
    const { uploadId, missing } = publishStartResponseSchema.parse(await start.json());
    for (const content of Object.values(build)) {
      if (!missing.includes(sha384(content))) continue;
      const put = await t.app.request(`http://localhost/api/registry/blobs/${sha384(content)}`, {
        method: 'PUT',
        headers: {
          Origin: admin.origin,
          'Sec-Fetch-Site': 'same-origin',
          Cookie: `atrium_session=${admin.sessionCookie()}`,
          'X-CSRF-Token': admin.csrfToken!,
          'Content-Type': 'application/octet-stream',
        },
        body: content,
      });
      expect(put.status).toBe(204);
    }
    const forged = await admin.fetch('POST', '/api/registry/remotes/auth-ui/publish/commit', {
      body: { uploadId },
      headers: { 'X-CSRF-Token': 'wrong' },
    });
    expect(forged.status).toBe(403);
    const withCookieAndBearer = await admin.fetch('POST', '/api/registry/remotes/auth-ui/publish/commit', {
      body: { uploadId },
      headers: { 'X-CSRF-Token': 'wrong', Authorization: `Bearer ${chatToken}` },
    });
    expect(withCookieAndBearer.status).toBe(403);
    expect(await codeOf(withCookieAndBearer)).toBe('auth.csrf_failed');
    const commit = await admin.fetch('POST', '/api/registry/remotes/auth-ui/publish/commit', { body: { uploadId } });
    expect(commit.status).toBe(201);
  });
});
