import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  apiErrorSchema,
  publishResponseSchema,
  publishStartResponseSchema,
  registryOverviewSchema,
  signingKeyListResponseSchema,
  signingKeyResponseSchema,
} from '@atrium/contracts';
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, remoteVersions } from '../db/schema/index.js';
import { keyIdOf, type SignedRelease, signRelease } from '../registry/release-signature.js';
import { Browser } from '../testing/browser.js';
import { type Build, buildOf, createToken, filesOf, publish, withToken } from '../testing/registry-publisher.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
let admin: Browser;
let ops: Browser;
let chatToken: string;
let adminToken: string;
beforeAll(async () => {
  t = await createTestApp({ env: { ATRIUM_SEED_LOCAL_REMOTES: 'false' } });
  await t.createUser({ email: 'root@example.com', role: 'admin' });
  await t.createUser({ email: 'ops@example.com', role: 'ops' });
  admin = new Browser(t);
  await admin.signIn('root@example.com', testPassword);
  ops = new Browser(t);
  await ops.signIn('ops@example.com', testPassword);
  chatToken = await createToken(admin, 'chat-core');
  adminToken = await createToken(admin, 'admin');
});
afterAll(() => t.close());

const codeOf = async (response: Response) => apiErrorSchema.parse(await response.json()).code;
const keysPath = (remote: string) => `/api/registry/remotes/${remote}/signing-keys`;

interface TestKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  keyId: string;
}
function newKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

async function register(remote: string, key: TestKey, name = `${remote} release key`) {
  const response = await admin.fetch('POST', keysPath(remote), { body: { name, publicKeyPem: key.publicKeyPem } });
  expect(response.status, await response.clone().text()).toBe(201);
  return signingKeyResponseSchema.parse(await response.json()).key;
}

const releaseOf = (remote: string, version: string, build: Build, gitSha: string | null = null): SignedRelease => ({
  remote,
  version,
  contract: `${remote}@1`,
  gitCommit: gitSha,
  gitDirty: false,
  entry: 'remoteEntry.js',
  files: filesOf(build),
});

/** Publishes `build` signed by `key` over `signed` (by default: exactly what is published). */
function publishSigned(
  token: string,
  remote: string,
  version: string,
  build: Build,
  key: TestKey,
  signed: SignedRelease = releaseOf(remote, version, build, 'abc1234'),
) {
  return publish(t, token, remote, version, build, {
    fields: { gitSha: 'abc1234', signature: { keyId: key.keyId, value: signRelease(key.privateKey, signed) } },
  });
}

async function versionOf(remote: string, version: string) {
  const overview = registryOverviewSchema.parse(await (await ops.fetch('GET', '/api/registry/remotes')).json());
  return overview.remotes.find((r) => r.release.remote === remote)?.versions.find((v) => v.version === version);
}

describe('signing keys', () => {
  it('registers, lists and revokes a key of one remote, audited, for admins only', async () => {
    const key = newKey();
    const registered = await register('upload-ui', key, 'upload-ui CI 2026');
    expect(registered).toMatchObject({
      keyId: key.keyId,
      remote: 'upload-ui',
      name: 'upload-ui CI 2026',
      revokedAt: null,
    });

    const list = signingKeyListResponseSchema.parse(await (await admin.fetch('GET', keysPath('upload-ui'))).json());
    expect(list.keys.map((k) => k.keyId)).toEqual([key.keyId]);
    const other = signingKeyListResponseSchema.parse(await (await admin.fetch('GET', keysPath('admin'))).json());
    expect(other.keys.map((k) => k.keyId)).not.toContain(key.keyId);

    const revoked = await admin.fetch('POST', `${keysPath('upload-ui')}/${key.keyId}/revoke`, {
      body: { reason: 'laptop lost' },
    });
    expect(revoked.status).toBe(200);
    expect(signingKeyResponseSchema.parse(await revoked.json()).key).toMatchObject({ revokedReason: 'laptop lost' });

    const entries = await t.db
      .select()
      .from(auditLog)
      .where(like(auditLog.target, `signing_key:${key.keyId}`));
    expect(entries.map((e) => [e.action, e.detail])).toEqual([
      ['registry.signing_key_added', { remote: 'upload-ui', keyId: key.keyId, name: 'upload-ui CI 2026' }],
      [
        'registry.signing_key_revoked',
        { remote: 'upload-ui', keyId: key.keyId, name: 'upload-ui CI 2026', reason: 'laptop lost' },
      ],
    ]);
  });

  it('refuses ops, deploy tokens and signed-out callers', async () => {
    const key = newKey();
    const body = { name: 'sneaky', publicKeyPem: key.publicKeyPem };
    expect((await ops.fetch('GET', keysPath('chat-core'))).status).toBe(403);
    expect((await ops.fetch('POST', keysPath('chat-core'), { body })).status).toBe(403);
    expect(
      (await ops.fetch('POST', `${keysPath('chat-core')}/${key.keyId}/revoke`, { body: { reason: 'no reason' } }))
        .status,
    ).toBe(403);
    expect((await withToken(t, chatToken)('POST', keysPath('chat-core'), body)).status).toBe(403);
    expect((await new Browser(t).fetch('GET', keysPath('chat-core'))).status).toBe(401);
    const rows = await t.db
      .select()
      .from(auditLog)
      .where(like(auditLog.target, `signing_key:${key.keyId}`));
    expect(rows).toEqual([]);
  });

  it('answers malformed keys with 400 signing_key.invalid and a key already registered with 409 signing_key.exists', async () => {
    const ed = newKey();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' });
    const edPrivate = ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const damaged = ed.publicKeyPem.replace(/\n[A-Za-z0-9+/]{4}/, '\n!!!!');
    for (const [label, publicKeyPem] of [
      ['not PEM', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA'],
      ['a private key', edPrivate],
      ['an RSA key', rsa.toString()],
      ['damaged base64', damaged],
      ['truncated', '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----'],
    ] as const) {
      const response = await admin.fetch('POST', keysPath('chat-core'), { body: { name: 'k', publicKeyPem } });
      expect(response.status, label).toBe(400);
      expect(await codeOf(response), label).toBe('signing_key.invalid');
    }
    expect((await admin.fetch('POST', keysPath('chat-core'), { body: { name: '', publicKeyPem: 'x' } })).status).toBe(
      400,
    );

    await register('chat-core', ed);
    for (const remote of ['chat-core', 'admin']) {
      const again = await admin.fetch('POST', keysPath(remote), {
        body: { name: 'again', publicKeyPem: ed.publicKeyPem },
      });
      expect(again.status, remote).toBe(409);
      expect(await codeOf(again)).toBe('signing_key.exists');
    }
  });

  it('answers an unknown key with 404, a malformed key id or missing reason with 400', async () => {
    const unknown = await admin.fetch('POST', `${keysPath('chat-core')}/${newKey().keyId}/revoke`, {
      body: { reason: 'whatever' },
    });
    expect(unknown.status).toBe(404);
    expect(await codeOf(unknown)).toBe('signing_key.not_found');
    const ofOther = newKey();
    await register('admin', ofOther);
    const wrongRemote = await admin.fetch('POST', `${keysPath('chat-core')}/${ofOther.keyId}/revoke`, {
      body: { reason: 'whatever' },
    });
    expect(wrongRemote.status).toBe(404);
    const malformed = await admin.fetch('POST', `${keysPath('chat-core')}/not-a-key/revoke`, {
      body: { reason: 'whatever' },
    });
    expect(malformed.status).toBe(400);
    const noReason = await admin.fetch('POST', `${keysPath('admin')}/${ofOther.keyId}/revoke`, { body: {} });
    expect(noReason.status).toBe(400);
  });
});

describe('signed publish', () => {
  let chatKey: TestKey;
  let adminKey: TestKey;
  beforeAll(async () => {
    chatKey = newKey();
    adminKey = newKey();
    await register('chat-core', chatKey, 'chat-core CI');
    await register('admin', adminKey, 'admin CI');
  });

  it('records the key, signer and commit of a signed version', async () => {
    const build = buildOf('chat-core', '2.0.0');
    const response = await publishSigned(chatToken, 'chat-core', '2.0.0', build, chatKey);
    expect(response.status, await response.clone().text()).toBe(201);
    const { version } = publishResponseSchema.parse(await response.json());
    expect(version).toMatchObject({
      gitSha: 'abc1234',
      gitDirty: false,
      signature: { keyId: chatKey.keyId, signer: 'chat-core CI', keyRevokedAt: null },
    });
    expect((await versionOf('chat-core', '2.0.0'))?.signature?.signer).toBe('chat-core CI');
    const [row] = await t.db.select().from(remoteVersions).where(eq(remoteVersions.version, '2.0.0'));
    expect(row?.signature).toMatch(/^[A-Za-z0-9+/]{86}==$/);
  });

  it('refuses a tampered manifest: a file hash, the version or the commit changed after signing', async () => {
    const build = buildOf('chat-core', '2.1.0');
    const signed = releaseOf('chat-core', '2.1.0', build, 'abc1234');
    const tamperedFile = { ...build, 'remoteEntry.js': `${build['remoteEntry.js']} /* injected */` };
    for (const [label, response] of [
      ['file', await publishSigned(chatToken, 'chat-core', '2.1.0', tamperedFile, chatKey, signed)],
      ['version', await publishSigned(chatToken, 'chat-core', '2.1.1', build, chatKey, signed)],
      [
        'commit',
        await publish(t, chatToken, 'chat-core', '2.1.0', build, {
          fields: {
            gitSha: 'def5678',
            signature: { keyId: chatKey.keyId, value: signRelease(chatKey.privateKey, signed) },
          },
        }),
      ],
      [
        'dirty flag',
        await publish(t, chatToken, 'chat-core', '2.1.0', build, {
          fields: {
            gitSha: 'abc1234',
            gitDirty: true,
            signature: { keyId: chatKey.keyId, value: signRelease(chatKey.privateKey, signed) },
          },
        }),
      ],
    ] as const) {
      expect(response.status, label).toBe(422);
      expect(await codeOf(response), label).toBe('release.signature_invalid');
    }
    expect(await versionOf('chat-core', '2.1.0')).toBeUndefined();
    expect(await versionOf('chat-core', '2.1.1')).toBeUndefined();
  });

  it('refuses a key of another remote, and an unregistered key', async () => {
    const build = buildOf('chat-core', '2.2.0');
    const byOther = await publishSigned(chatToken, 'chat-core', '2.2.0', build, adminKey);
    expect(byOther.status).toBe(422);
    expect(await codeOf(byOther)).toBe('release.signature_invalid');
    const byStranger = await publishSigned(chatToken, 'chat-core', '2.2.0', build, newKey());
    expect(byStranger.status).toBe(422);
    expect(await codeOf(byStranger)).toBe('release.signature_invalid');
  });

  it('refuses a revoked key, also when revoked between start and commit, and marks what it signed', async () => {
    const key = newKey();
    await register('admin', key, 'admin laptop');
    const signedBefore = await publishSigned(adminToken, 'admin', '3.0.0', buildOf('admin', '3.0.0'), key);
    expect(signedBefore.status).toBe(201);

    const build = buildOf('admin', '3.1.0');
    const call = withToken(t, adminToken);
    const start = await call('POST', '/api/registry/remotes/admin/publish', {
      version: '3.1.0',
      contract: 'admin@1',
      gitSha: 'abc1234',
      files: filesOf(build),
      signature: {
        keyId: key.keyId,
        value: signRelease(key.privateKey, releaseOf('admin', '3.1.0', build, 'abc1234')),
      },
    });
    expect(start.status).toBe(200);
    const { uploadId } = publishStartResponseSchema.parse(await start.json());
    for (const content of Object.values(build)) {
      await call('PUT', `/api/registry/blobs/${filesOf({ x: content })[0]!.sha384}`, content, {
        'Content-Type': 'application/octet-stream',
      });
    }
    await admin.fetch('POST', `${keysPath('admin')}/${key.keyId}/revoke`, { body: { reason: 'key leaked' } });
    const commit = await call('POST', '/api/registry/remotes/admin/publish/commit', { uploadId });
    expect(commit.status).toBe(422);
    expect(await codeOf(commit)).toBe('release.signature_invalid');

    const again = await publishSigned(adminToken, 'admin', '3.1.0', build, key);
    expect(again.status).toBe(422);
    expect(await codeOf(again)).toBe('release.signature_invalid');
    expect((await versionOf('admin', '3.0.0'))?.signature).toMatchObject({
      signer: 'admin laptop',
      keyRevokedAt: expect.any(String),
    });
  });

  it('answers a malformed signature or key id with 400, a well-formed but wrong signature with 422', async () => {
    const build = buildOf('chat-core', '2.3.0');
    for (const signature of [
      { keyId: chatKey.keyId, value: 'not base64!' },
      { keyId: chatKey.keyId, value: Buffer.alloc(32).toString('base64') },
      { keyId: 'short', value: Buffer.alloc(64).toString('base64') },
      { keyId: chatKey.keyId },
      'a string',
    ]) {
      const response = await publish(t, chatToken, 'chat-core', '2.3.0', build, { fields: { signature } });
      expect(response.status, JSON.stringify(signature)).toBe(400);
      expect(await codeOf(response)).toBe('request.invalid');
    }
    const zeros = await publish(t, chatToken, 'chat-core', '2.3.0', build, {
      fields: { signature: { keyId: chatKey.keyId, value: Buffer.alloc(64).toString('base64') } },
    });
    expect(zeros.status).toBe(422);
    expect(await codeOf(zeros)).toBe('release.signature_invalid');
  });

  it('accepts unsigned versions unless ATRIUM_REQUIRE_SIGNED_RELEASES=true, then gates exposure too', async () => {
    const unsigned = await publish(t, chatToken, 'chat-core', '2.4.0', buildOf('chat-core', '2.4.0'));
    expect(unsigned.status).toBe(201);
    expect(publishResponseSchema.parse(await unsigned.json()).version.signature).toBeNull();
    const revokedKey = newKey();
    await register('chat-core', revokedKey, 'old chat-core key');
    expect(
      (await publishSigned(chatToken, 'chat-core', '2.5.0', buildOf('chat-core', '2.5.0'), revokedKey)).status,
    ).toBe(201);
    await admin.fetch('POST', `${keysPath('chat-core')}/${revokedKey.keyId}/revoke`, { body: { reason: 'rotated' } });

    // The switch is read from config at each request; a test flips it as a restart with the env set would.
    t.registry.config.requireSignedReleases = true;
    try {
      const refused = await publish(t, chatToken, 'chat-core', '2.6.0', buildOf('chat-core', '2.6.0'));
      expect(refused.status).toBe(422);
      expect(await codeOf(refused)).toBe('release.signature_required');
      expect(await versionOf('chat-core', '2.6.0')).toBeUndefined();

      const promoteUnsigned = await admin.fetch('POST', '/api/registry/remotes/chat-core/promote', {
        body: { version: '2.4.0', reason: 'published before the switch' },
      });
      expect(promoteUnsigned.status).toBe(422);
      expect(await codeOf(promoteUnsigned)).toBe('release.signature_required');

      const promoteRevoked = await admin.fetch('POST', '/api/registry/remotes/chat-core/promote', {
        body: { version: '2.5.0', reason: 'signed by a revoked key' },
      });
      expect(promoteRevoked.status).toBe(422);
      expect(await codeOf(promoteRevoked)).toBe('release.signature_invalid');

      const promoted = await admin.fetch('POST', '/api/registry/remotes/chat-core/promote', {
        body: { version: '2.0.0', reason: 'signed and active' },
      });
      expect(promoted.status).toBe(200);
      const canaryUnsigned = await admin.fetch('PUT', '/api/registry/remotes/chat-core/canary', {
        body: { version: '2.4.0', percent: 10, reason: 'try it' },
      });
      expect(canaryUnsigned.status).toBe(422);
      expect(await codeOf(canaryUnsigned)).toBe('release.signature_required');

      const signed = await publishSigned(chatToken, 'chat-core', '2.7.0', buildOf('chat-core', '2.7.0'), chatKey);
      expect(signed.status).toBe(201);
    } finally {
      t.registry.config.requireSignedReleases = false;
    }
  });
});
