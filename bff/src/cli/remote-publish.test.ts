import { stat } from 'node:fs/promises';
import { registryOverviewSchema } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliServer, runCli, startCliServer, tempDir, testPassword } from './test-harness.js';

let server: CliServer;
let config: { dir: string; remove(): void };
let env: Record<string, string>;
let chatCoreToken: string;
const cleanups: (() => void)[] = [];

/** What the build preset writes into mf-manifest.json: the version the build was made as, and its id. */
const manifestBuiltAs = (version: string) =>
  JSON.stringify({ name: 'chat_core', metaData: { buildInfo: { buildVersion: `${version}+0123456789abcdef` } } });

/** A build as rspack leaves it; the BFF only hashes files, so their content can be anything. */
function fakeDist(marker: string, extra: Record<string, string> = {}) {
  const dist = tempDir({
    'remoteEntry.js': `var chat_core = {}; // ${marker}`,
    'mf-manifest.json': '{"name":"chat_core"}',
    'static/js/chunk.1a2b3c.js': `export const shared = 1; ${'x'.repeat(50_000)}`,
    'static/js/chunk.1a2b3c.js.map': '{"sources":[]}',
    '.DS_Store': 'finder litter',
    ...extra,
  });
  cleanups.push(dist.remove);
  return dist.dir;
}

beforeAll(async () => {
  server = await startCliServer();
  config = tempDir();
  env = { ATRIUM_SERVER: server.url, ATRIUM_CONFIG_DIR: config.dir };
  await server.t.createUser({ email: 'root@example.com', role: 'admin' });
  const login = await runCli(['login', '--email', 'root@example.com', '--password-stdin'], {
    env,
    input: testPassword,
  });
  expect(login.code, login.stderr).toBe(0);
  const created = await runCli(['token', 'create', 'chat-core', '--name', 'chat-core CI'], { env });
  expect(created.code, created.stderr).toBe(0);
  chatCoreToken = created.stdout.trim();
});
afterAll(async () => {
  for (const cleanup of cleanups) cleanup();
  config.remove();
  await server.close();
});

/** Publishing as CI does: a deploy token and no stored session. */
const ciEnv = (token: string) => ({
  ATRIUM_SERVER: server.url,
  ATRIUM_DEPLOY_TOKEN: token,
  ATRIUM_CONFIG_DIR: '/none',
});

describe('atrium remote publish', () => {
  it('publishes a build with a deploy token, shows the upload reach 100% and says what to run next', async () => {
    const dist = fakeDist('1.4.0');
    const { code, stdout, stderr } = await runCli(
      ['remote', 'publish', 'chat-core', '--dist', dist, '--version', '1.4.0', '--git-sha', 'abc1234'],
      { env: ciEnv(chatCoreToken) },
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Published chat-core 1.4.0.');
    expect(stdout).toContain('chat-core@1');
    expect(stdout).toContain(`${server.url}/remotes/chat-core/1.4.0/remoteEntry.js`);
    expect(stdout).toContain('atrium remote canary chat-core 1.4.0 --percent 10 --reason');
    const lines = stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/\[#{20}\]\s+100%\s+.*3\/3 files\s+.*\/s$/);
    expect(stderr).toContain('Uploading 3 of 3 files');

    const status = await runCli(['remote', 'status', '--json'], { env });
    const chatCore = registryOverviewSchema
      .parse(JSON.parse(status.stdout))
      .remotes.find((remote) => remote.release.remote === 'chat-core');
    expect(chatCore?.versions.map((v) => [v.version, v.gitSha, v.publishedBy])).toEqual([
      ['1.4.0', 'abc1234', expect.objectContaining({ kind: 'token' })],
    ]);
  });

  it('asks for --version outside a checkout (exit 2)', async () => {
    const { code, stderr } = await runCli(['remote', 'publish', 'chat-core', '--dist', fakeDist('dry'), '--dry-run'], {
      env: { ATRIUM_CONFIG_DIR: '/none' },
      cwd: config.dir,
    });
    expect(code).toBe(2);
    expect(stderr).toContain('No version: pass --version');
  });

  it('lists what it would publish with --dry-run: neither dotfiles nor source maps', async () => {
    const dry = await runCli(
      ['remote', 'publish', 'chat-core', '--dist', fakeDist('dry'), '--version', '9.9.9', '--dry-run'],
      { env: { ATRIUM_CONFIG_DIR: '/none' } },
    );
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Would publish chat-core 9.9.9 (chat-core@1): 3 files');
    expect(dry.stdout).toContain('static/js/chunk.1a2b3c.js ');
    expect(dry.stdout).not.toContain('.map');
    expect(dry.stdout).not.toContain('.DS_Store');
  });

  it('uploads only the files the registry does not have yet', async () => {
    const dist = fakeDist('1.4.1');
    const { code, stderr } = await runCli(['remote', 'publish', 'chat-core', '--dist', dist, '--version', '1.4.1'], {
      env: ciEnv(chatCoreToken),
    });
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('Uploading 1 of 3 files');
    expect(stderr).toMatch(/100%.*1\/1 files/);
  });

  it('refuses to publish a version twice (409 registry.version_exists)', async () => {
    const { code, stdout, stderr } = await runCli(
      ['remote', 'publish', 'chat-core', '--dist', fakeDist('again'), '--version', '1.4.0'],
      { env: ciEnv(chatCoreToken) },
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('registry.version_exists (HTTP 409)');
    expect(stderr).toContain('already published');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a chat-core token publishing admin (403 registry.token_scope)', async () => {
    const dist = tempDir({ 'remoteEntry.js': 'var admin = {};' });
    cleanups.push(dist.remove);
    const { code, stderr } = await runCli(['remote', 'publish', 'admin', '--dist', dist.dir, '--version', '2.0.0'], {
      env: ciEnv(chatCoreToken),
    });
    expect(code).toBe(1);
    expect(stderr).toContain('registry.token_scope (HTTP 403)');
  });

  it('refuses an unknown token (401)', async () => {
    const { code, stderr } = await runCli(
      ['remote', 'publish', 'chat-core', '--dist', fakeDist('x'), '--version', '1.5.0', '--token', 'atr_dt_nope'],
      { env: { ATRIUM_SERVER: server.url, ATRIUM_CONFIG_DIR: '/none' } },
    );
    expect(code).toBe(1);
    expect(stderr).toContain('HTTP 401');
  });

  it('says to build first when there is no dist, or no remoteEntry.js in it', async () => {
    const missing = await runCli(['remote', 'publish', 'upload-ui', '--version', '1.0.0'], {
      env: ciEnv(chatCoreToken),
      cwd: config.dir,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No build of upload-ui');
    expect(missing.stderr).toContain('run pnpm --filter @atrium/upload-ui build first');

    const empty = tempDir({ 'index.html': '<!doctype html>' });
    cleanups.push(empty.remove);
    const noEntry = await runCli(['remote', 'publish', 'upload-ui', '--dist', empty.dir, '--version', '1.0.0'], {
      env: ciEnv(chatCoreToken),
    });
    expect(noEntry.code).toBe(1);
    expect(noEntry.stderr).toContain('has no remoteEntry.js: run pnpm --filter @atrium/upload-ui build first');
  });

  it('finds the dist, version and contract of a remote from anywhere inside the checkout, and publishes with a session', async () => {
    const checkout = tempDir({
      'pnpm-workspace.yaml': 'packages: ["remotes/*"]',
      'remotes/auth-ui/package.json': JSON.stringify({
        name: '@atrium/auth-ui',
        version: '3.1.0',
        atrium: { contract: 'auth-ui@1' },
      }),
      'remotes/auth-ui/dist/remoteEntry.js': 'var auth_ui = {};',
      'remotes/auth-ui/src/mount.tsx': 'export {};',
    });
    cleanups.push(checkout.remove);
    const { code, stdout, stderr } = await runCli(['remote', 'publish', 'auth-ui'], {
      env,
      cwd: `${checkout.dir}/remotes/auth-ui/src`,
    });
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Published auth-ui 3.1.0.');
    expect(stdout).toContain('auth-ui@1');
  });

  it('refuses a build made as another version than the one it would publish (exit 1), and says: set, build, publish', async () => {
    // The README's old order: build (1.0.0 is baked in), then bump package.json to 1.1.0, then publish.
    const checkout = tempDir({
      'remotes/chat-core/package.json': JSON.stringify({ name: '@atrium/chat-core', version: '1.1.0' }),
      'remotes/chat-core/dist/remoteEntry.js': 'var chat_core = {}; // built as 1.0.0',
      'remotes/chat-core/dist/mf-manifest.json': manifestBuiltAs('1.0.0'),
    });
    cleanups.push(checkout.remove);
    for (const args of [[], ['--dry-run'], ['--version', '1.2.0']]) {
      const { code, stdout, stderr } = await runCli(['remote', 'publish', 'chat-core', ...args], {
        env: ciEnv(chatCoreToken),
        cwd: `${checkout.dir}/remotes/chat-core`,
      });
      expect(code, stderr).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/was built as chat-core 1\.0\.0, not 1\.[12]\.0: the version is baked into the build/);
      expect(stderr).toContain('Set the version, build, then publish');
      expect(stderr).toContain('pnpm --filter @atrium/chat-core build');
    }
    const status = await runCli(['remote', 'status', 'chat-core', '--json'], { env });
    expect(status.stdout).not.toMatch(/"version":"1\.[12]\.0"/);

    const asBuilt = await runCli(['remote', 'publish', 'chat-core', '--version', '1.0.0', '--dry-run'], {
      env: { ATRIUM_CONFIG_DIR: '/none' },
      cwd: `${checkout.dir}/remotes/chat-core`,
    });
    expect(asBuilt.code, asBuilt.stderr).toBe(0);
    expect(asBuilt.stdout).toContain('Would publish chat-core 1.0.0');
  });

  it('warns when a build does not say which version it was built as', async () => {
    const { code, stderr } = await runCli(
      ['remote', 'publish', 'chat-core', '--dist', fakeDist('unsaid'), '--version', '9.9.8', '--dry-run'],
      { env: { ATRIUM_CONFIG_DIR: '/none' } },
    );
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('does not say which version it was built as');
  });

  it('keeps the stored session file private', async () => {
    const info = await stat(`${config.dir}/session.json`);
    expect(info.mode & 0o777).toBe(0o600);
  });
});
