import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { remoteStatusSchema, signingKeyListResponseSchema } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliServer, runCli, startCliServer, tempDir, testPassword } from './test-harness.js';

let server: CliServer;
let config: { dir: string; remove(): void };
let keys: { dir: string; remove(): void };
let env: Record<string, string>;
let ciToken: string;
const cleanups: (() => void)[] = [];

const fakeDist = (marker: string) => {
  const dist = tempDir({
    'remoteEntry.js': `var chat_core = {}; // ${marker}`,
    'static/js/chunk.js': `export const marker = '${marker}';`,
  });
  cleanups.push(dist.remove);
  return dist.dir;
};

beforeAll(async () => {
  server = await startCliServer();
  config = tempDir();
  keys = tempDir();
  env = { ATRIUM_SERVER: server.url, ATRIUM_CONFIG_DIR: config.dir };
  await server.t.createUser({ email: 'root@example.com', role: 'admin' });
  const login = await runCli(['login', '--email', 'root@example.com', '--password-stdin'], {
    env,
    input: testPassword,
  });
  expect(login.code, login.stderr).toBe(0);
  const token = await runCli(['token', 'create', 'chat-core', '--name', 'chat-core CI'], { env });
  expect(token.code, token.stderr).toBe(0);
  ciToken = token.stdout.trim();
}, 120_000);
afterAll(async () => {
  for (const cleanup of cleanups) cleanup();
  config.remove();
  keys.remove();
  await server.close();
});

const ciEnv = (extra: Record<string, string> = {}) => ({
  ATRIUM_SERVER: server.url,
  ATRIUM_DEPLOY_TOKEN: ciToken,
  ATRIUM_CONFIG_DIR: '/none',
  ...extra,
});

async function generate(name: string): Promise<{ keyId: string; privateFile: string; publicFile: string }> {
  const result = await runCli(['keys', 'generate', '--out', keys.dir, '--name', name]);
  expect(result.code, result.stderr).toBe(0);
  return {
    keyId: result.stdout.trim(),
    privateFile: path.join(keys.dir, `${name}.pem`),
    publicFile: path.join(keys.dir, `${name}.pub.pem`),
  };
}

async function chatCoreStatus() {
  const status = await runCli(['remote', 'status', 'chat-core', '--json'], { env });
  expect(status.code, status.stderr).toBe(0);
  return remoteStatusSchema.parse(JSON.parse(status.stdout));
}

// Each test runs the real CLI several times as a child process (tsx compiles it at every start): a
// loaded machine needs more than the default 30 s per test. Nothing here asserts on time.
describe('atrium keys and signed publishing', { timeout: 240_000 }, () => {
  it('generates a key pair (private 0600), registers it, signs a publish and shows the signer', async () => {
    const key = await generate('chat-core-ci');
    expect(key.keyId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(key.privateFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(key.publicFile, 'utf8')).toContain('-----BEGIN PUBLIC KEY-----');
    expect((await runCli(['keys', 'generate', '--out', keys.dir, '--name', 'chat-core-ci'])).code).toBe(1);

    const added = await runCli(
      ['remote', 'keys', 'add', 'chat-core', '--name', 'chat-core CI', '--public-key', key.publicFile],
      { env },
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(key.keyId);

    const published = await runCli(
      [
        'remote',
        'publish',
        'chat-core',
        '--dist',
        fakeDist('5.0.0'),
        '--version',
        '5.0.0',
        '--git-sha',
        'abc1234',
        '--signing-key',
        key.privateFile,
      ],
      { env: ciEnv() },
    );
    expect(published.code, published.stderr).toBe(0);
    expect(published.stderr).toContain(`signed with key ${key.keyId}`);
    expect(published.stdout).toContain(`signed     by "chat-core CI" (key ${key.keyId})`);

    const viaEnv = await runCli(
      ['remote', 'publish', 'chat-core', '--dist', fakeDist('5.0.1'), '--version', '5.0.1', '--git-sha', 'abc1234'],
      { env: ciEnv({ ATRIUM_SIGNING_KEY: key.privateFile }) },
    );
    expect(viaEnv.code, viaEnv.stderr).toBe(0);

    const status = await chatCoreStatus();
    expect(status.versions.find((v) => v.version === '5.0.0')?.signature).toMatchObject({
      keyId: key.keyId,
      signer: 'chat-core CI',
      keyRevokedAt: null,
    });
    const table = await runCli(['remote', 'status', 'chat-core'], { env });
    expect(table.stdout).toMatch(/5\.0\.0 .* abc1234\s+by chat-core CI/);
  });

  it('refuses a key the remote does not know, and a public key or missing file given as the signing key', async () => {
    const stranger = await generate('stranger');
    const refused = await runCli(
      [
        'remote',
        'publish',
        'chat-core',
        '--dist',
        fakeDist('5.1.0'),
        '--version',
        '5.1.0',
        '--signing-key',
        stranger.privateFile,
      ],
      { env: ciEnv() },
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('release.signature_invalid (HTTP 422)');

    const publicOne = await runCli(
      [
        'remote',
        'publish',
        'chat-core',
        '--dist',
        fakeDist('5.1.0'),
        '--version',
        '5.1.0',
        '--signing-key',
        stranger.publicFile,
      ],
      { env: ciEnv() },
    );
    expect(publicOne.code).toBe(1);
    expect(publicOne.stderr).toContain('not a PEM private key');
    expect(publicOne.stderr).toContain(
      `Sign with the private key ${stranger.publicFile.replace(/\.pub\.pem$/, '.pem')}`,
    );
    const missing = await runCli(
      [
        'remote',
        'publish',
        'chat-core',
        '--dist',
        fakeDist('5.1.0'),
        '--version',
        '5.1.0',
        '--signing-key',
        '/nope.pem',
      ],
      { env: ciEnv() },
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Can't read the signing key");
    expect((await chatCoreStatus()).versions.map((v) => v.version)).not.toContain('5.1.0');
  });

  it('lists and revokes keys; a revoked key signs nothing more and its versions say so', async () => {
    const list = await runCli(['remote', 'keys', 'list', 'chat-core', '--json'], { env });
    const [key] = signingKeyListResponseSchema.parse(JSON.parse(list.stdout)).keys;
    expect(key?.name).toBe('chat-core CI');

    const noReason = await runCli(['remote', 'keys', 'revoke', 'chat-core', key!.keyId], { env });
    expect(noReason.code).toBe(2);
    const badId = await runCli(['remote', 'keys', 'revoke', 'chat-core', 'nope', '--reason', 'test'], { env });
    expect(badId.code).toBe(2);
    const revoked = await runCli(
      ['remote', 'keys', 'revoke', 'chat-core', key!.keyId, '--reason', 'CI secret leaked'],
      {
        env,
      },
    );
    expect(revoked.code, revoked.stderr).toBe(0);

    const table = await runCli(['remote', 'keys', 'list', 'chat-core'], { env });
    expect(table.stdout).toContain('CI secret leaked');
    const status = await runCli(['remote', 'status', 'chat-core'], { env });
    expect(status.stdout).toMatch(/5\.0\.0 .*by chat-core CI \(KEY REVOKED\)/);

    const again = await runCli(
      [
        'remote',
        'publish',
        'chat-core',
        '--dist',
        fakeDist('5.2.0'),
        '--version',
        '5.2.0',
        '--signing-key',
        path.join(keys.dir, 'chat-core-ci.pem'),
      ],
      { env: ciEnv() },
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('release.signature_invalid');
  });

  it('publishes unsigned unless the server requires signatures', async () => {
    const unsigned = await runCli(
      ['remote', 'publish', 'chat-core', '--dist', fakeDist('5.3.0'), '--version', '5.3.0'],
      {
        env: ciEnv(),
      },
    );
    expect(unsigned.code, unsigned.stderr).toBe(0);
    expect(unsigned.stdout).toMatch(/signed\s+no/);
    server.t.registry.config.requireSignedReleases = true;
    try {
      const refused = await runCli(
        ['remote', 'publish', 'chat-core', '--dist', fakeDist('5.4.0'), '--version', '5.4.0'],
        {
          env: ciEnv(),
        },
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('release.signature_required (HTTP 422)');
    } finally {
      server.t.registry.config.requireSignedReleases = false;
    }
  });

  it('signs the HEAD commit of a checkout and records uncommitted changes', async () => {
    const key = await generate('checkout');
    const added = await runCli(
      ['remote', 'keys', 'add', 'chat-core', '--name', 'checkout key', '--public-key', key.publicFile],
      {
        env,
      },
    );
    expect(added.code, added.stderr).toBe(0);
    const checkout = tempDir({
      '.gitignore': 'dist/\n',
      'remotes/chat-core/package.json': JSON.stringify({ version: '6.0.0', atrium: { contract: 'chat-core@1' } }),
      'remotes/chat-core/dist/remoteEntry.js': 'var chat_core = {}; // 6.0.0',
    });
    cleanups.push(checkout.remove);
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=CI', ...args], {
        cwd: checkout.dir,
        encoding: 'utf8',
      }).trim();
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'release 6.0.0');
    const head = git('rev-parse', 'HEAD');
    const cwd = path.join(checkout.dir, 'remotes/chat-core');

    const clean = await runCli(['remote', 'publish', 'chat-core', '--signing-key', key.privateFile], {
      env: ciEnv(),
      cwd,
    });
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stderr).not.toContain('uncommitted');

    execFileSync('sh', ['-c', 'echo "// local edit" >> remotes/chat-core/package.json'], { cwd: checkout.dir });
    const dirty = await runCli(
      ['remote', 'publish', 'chat-core', '--version', '6.0.1', '--signing-key', key.privateFile],
      {
        env: ciEnv(),
        cwd,
      },
    );
    expect(dirty.code, dirty.stderr).toBe(0);
    expect(dirty.stderr).toContain('has uncommitted changes');

    const versions = (await chatCoreStatus()).versions;
    expect(versions.find((v) => v.version === '6.0.0')).toMatchObject({ gitSha: head, gitDirty: false });
    expect(versions.find((v) => v.version === '6.0.1')).toMatchObject({
      gitSha: head,
      gitDirty: true,
      signature: expect.objectContaining({ signer: 'checkout key' }),
    });
  });
});
