import { registryOverviewSchema, releaseHistoryResponseSchema, remoteStatusSchema } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../testing/browser.js';
import { type CliServer, runCli, runOnTerminal, startCliServer, tempDir, testPassword } from './test-harness.js';

let server: CliServer;
let config: { dir: string; remove(): void };
let env: Record<string, string>;
const cli = (...args: string[]) => runCli(args, { env });

async function publish(version: string) {
  const dist = tempDir({ 'remoteEntry.js': `var chat_core = {}; // ${version}` });
  const result = await runCli(['remote', 'publish', 'chat-core', '--dist', dist.dir, '--version', version], { env });
  dist.remove();
  expect(result.code, result.stderr).toBe(0);
}

beforeAll(async () => {
  // One failed load from one signed-in user is enough to trip the canary here.
  server = await startCliServer({ ATRIUM_CANARY_MIN_SAMPLE: '1' });
  config = tempDir();
  env = { ATRIUM_SERVER: server.url, ATRIUM_CONFIG_DIR: config.dir };
  await server.t.createUser({ email: 'ops@example.com', role: 'ops' });
  const login = await runCli(['login', '--email', 'ops@example.com', '--password-stdin'], {
    env,
    input: `${testPassword}\n`,
  });
  expect(login.code, login.stderr).toBe(0);
  for (const version of ['1.0.0', '1.1.0', '1.2.0']) await publish(version);
});
afterAll(async () => {
  config.remove();
  await server.close();
});

describe('a release round trip from the CLI', () => {
  it('shows a remote with versions but nothing released yet', async () => {
    const { code, stdout } = await cli('remote', 'status', 'chat-core');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^chat-core\s+—\s+—\s+—\s+—$/m);
    expect(stdout).toMatch(/^1\.2\.0\s+chat-core@1\s+published\s+—/m);
  });

  it('promotes, sets a canary, promotes again and rolls back', async () => {
    const promoted = await cli('remote', 'promote', 'chat-core', '1.0.0', '--reason', 'first release');
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(promoted.stdout).toContain('Promoted chat-core 1.0.0 to stable.');

    const canary = await cli('remote', 'canary', 'chat-core', '1.1.0', '--percent', '10', '--reason', 'try 1.1');
    expect(canary.code, canary.stderr).toBe(0);
    expect(canary.stdout).toContain('chat-core: stable 1.0.0, canary 1.1.0 @ 10%');

    const table = await cli('remote', 'status');
    expect(table.stdout).toMatch(/^REMOTE\s+STABLE\s+CANARY\s+PREVIOUS STABLE\s+CANARY HEALTH$/m);
    expect(table.stdout).toMatch(/^chat-core\s+1\.0\.0\s+1\.1\.0 @ 10%\s+—\s+no loads in 300s$/m);
    expect(table.stdout).toMatch(/^admin\s+—/m);

    const json = await cli('remote', 'status', '--json');
    const overview = registryOverviewSchema.parse(JSON.parse(json.stdout));
    expect(overview.remotes.find((r) => r.release.remote === 'chat-core')?.release).toMatchObject({
      stable: '1.0.0',
      canary: '1.1.0',
      canaryPercent: 10,
    });

    expect((await cli('remote', 'promote', 'chat-core', '1.1.0', '--reason', 'canary looked fine')).code).toBe(0);
    const rolled = await cli('remote', 'rollback', 'chat-core', '--reason', 'errors after promote', '--yes');
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(rolled.stdout).toContain('Rolled chat-core back: everyone gets 1.0.0.');

    const one = remoteStatusSchema.parse(JSON.parse((await cli('remote', 'status', 'chat-core', '--json')).stdout));
    expect(one.release.stable).toBe('1.0.0');
  });

  it('refuses to roll back without --yes off a terminal, and changes nothing', async () => {
    const { code, stderr } = await cli('remote', 'rollback', 'chat-core', '1.1.0', '--reason', 'try again');
    expect(code).toBe(2);
    expect(stderr).toContain('--yes');
    const one = remoteStatusSchema.parse(JSON.parse((await cli('remote', 'status', 'chat-core', '--json')).stdout));
    expect(one.release.stable).toBe('1.0.0');
  });

  it('yanks a version; promoting it is then refused with the server’s code', async () => {
    const yanked = await cli('remote', 'yank', 'chat-core', '1.2.0', '--reason', 'bad build');
    expect(yanked.code, yanked.stderr).toBe(0);
    expect(yanked.stdout).toContain('Yanked chat-core 1.2.0.');
    const promote = await cli('remote', 'promote', 'chat-core', '1.2.0', '--reason', 'oops');
    expect(promote.code).toBe(1);
    expect(promote.stderr).toMatch(/atrium: registry\.version_yanked \(HTTP 4\d\d\): /);
    expect((await cli('remote', 'status', 'chat-core')).stdout).toMatch(/^1\.2\.0\s+chat-core@1\s+yanked/m);
  });

  it('marks what the registry did by itself in the history', async () => {
    expect((await cli('remote', 'canary', 'chat-core', '1.1.0', '--percent', '100', '--reason', 'all in')).code).toBe(
      0,
    );
    await server.t.createUser({ email: 'ada@example.com' });
    const browser = new Browser(server.t);
    expect((await browser.signIn('ada@example.com', testPassword)).status).toBe(200);
    const report = { kind: 'load', report: { remote: 'chat-core', version: '1.1.0', outcome: 'error', ms: 120 } };
    expect((await browser.fetch('POST', '/api/telemetry', { body: { reports: [report] } })).status).toBe(202);

    const { code, stdout } = await cli('remote', 'history', 'chat-core');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^AT\s+ACTION\s+VERSION\s+STABLE\s+CANARY\s+BY\s+REASON$/m);
    const rows = stdout.trim().split('\n').slice(1);
    expect(rows[0]).toMatch(/auto_rollback \(auto\)\s+1\.1\.0\s+1\.0\.0\s+1\.1\.0 @ 100% → 1\.1\.0 @ 0%/);
    expect(rows.map((row) => row.split(/\s{2,}/)[1])).toEqual([
      'auto_rollback (auto)',
      'canary',
      'yank',
      'rollback',
      'promote',
      'canary',
      'promote',
      'publish',
      'publish',
      'publish',
    ]);
    expect(stdout).toContain('errors after promote');
    expect(rows[0]).toContain('Atrium (automatic)');
    expect(rows[1]).toContain('ops <ops@example.com>');
  });

  it('limits the history and prints it as JSON', async () => {
    const { code, stdout } = await cli('remote', 'history', 'chat-core', '--limit', '2', '--json');
    expect(code).toBe(0);
    const { entries } = releaseHistoryResponseSchema.parse(JSON.parse(stdout));
    expect(entries.map((entry) => [entry.action, entry.automatic])).toEqual([
      ['auto_rollback', true],
      ['canary', false],
    ]);
  });

  it('withdraws a running canary first, keeping the stable', async () => {
    expect((await cli('remote', 'canary', 'chat-core', '1.1.0', '--percent', '25', '--reason', 'again')).code).toBe(0);
    const withdrawn = await cli('remote', 'rollback', 'chat-core', '--reason', 'canary errors', '--yes');
    expect(withdrawn.code, withdrawn.stderr).toBe(0);
    expect(withdrawn.stdout).toContain('Rolled chat-core back: everyone gets 1.0.0.');
    const one = remoteStatusSchema.parse(JSON.parse((await cli('remote', 'status', 'chat-core', '--json')).stdout));
    expect(one.release).toMatchObject({ stable: '1.0.0', canary: null, canaryPercent: 0 });
  });
});

describe('who may release', () => {
  it('refuses a plain user with the server’s code', async () => {
    await server.t.createUser({ email: 'user@example.com' });
    const userConfig = tempDir();
    const userEnv = { ATRIUM_SERVER: server.url, ATRIUM_CONFIG_DIR: userConfig.dir };
    const login = await runCli(['login', '--email', 'user@example.com', '--password-stdin'], {
      env: userEnv,
      input: testPassword,
    });
    expect(login.code).toBe(0);
    expect(login.stderr).toContain('need the ops or admin role');
    const { code, stderr } = await runCli(['remote', 'promote', 'chat-core', '1.1.0', '--reason', 'let me'], {
      env: userEnv,
    });
    userConfig.remove();
    expect(code).toBe(1);
    expect(stderr).toContain('auth.forbidden (HTTP 403)');
  });

  it('refuses to use a session for another server', async () => {
    const { code, stderr } = await runCli(['remote', 'status', '--server', 'http://127.0.0.1:9'], {
      env: { ATRIUM_CONFIG_DIR: config.dir },
    });
    expect(code).toBe(1);
    expect(stderr).toContain(`You are signed in to ${server.url}, not http://127.0.0.1:9.`);
  });
});

describe('atrium remote rollback on a terminal', () => {
  const terminalEnv = () => ({ server: server.url, deployToken: null, configDir: config.dir });

  it('asks first, naming the versions, and changes nothing when the answer is no', async () => {
    const result = await runOnTerminal(
      ['remote', 'rollback', 'chat-core', '--reason', 'just looking'],
      terminalEnv(),
      'n\n',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Roll back chat-core from 1.0.0 to');
    expect(result.stderr).toContain('[y/N]');
    expect(result.stderr).toContain('Cancelled; nothing changed.');
  });

  it('rolls back when the answer is yes', async () => {
    expect((await cli('remote', 'promote', 'chat-core', '1.1.0', '--reason', 'second try')).code).toBe(0);
    const result = await runOnTerminal(
      ['remote', 'rollback', 'chat-core', '1.0.0', '--reason', 'back to 1.0'],
      terminalEnv(),
      'yes\n',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Roll back chat-core from 1.1.0 to 1.0.0? [y/N]');
    expect(result.stdout).toContain('Rolled chat-core back: everyone gets 1.0.0.');
  });
});
