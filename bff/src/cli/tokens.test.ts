import { createDeployTokenResponseSchema, deployTokenListResponseSchema } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliServer, runCli, startCliServer, tempDir, testPassword } from './test-harness.js';

let server: CliServer;
let config: { dir: string; remove(): void };
let env: Record<string, string>;
const cli = (...args: string[]) => runCli(args, { env });

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
});
afterAll(async () => {
  config.remove();
  await server.close();
});

describe('atrium token', () => {
  it('prints a new token’s secret alone on stdout, once, with a warning on stderr', async () => {
    const { code, stdout, stderr } = await cli('token', 'create', 'chat-core', '--name', 'chat-core CI');
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^atr_dt_\S+\n$/);
    expect(stderr).toContain('for chat-core');
    expect(stderr).toContain('shown once');

    const list = await cli('token', 'list');
    expect(list.stdout).toMatch(/^ID\s+REMOTE\s+NAME\s+CREATED\s+LAST USED\s+STATUS$/m);
    expect(list.stdout).toMatch(/chat-core\s+chat-core CI\s+\d{4}-\d\d-\d\d \d\d:\d\dZ\s+—\s+active/);
    expect(list.stdout).not.toContain(stdout.trim());
  });

  it('creates with --json for scripts, lists as JSON and revokes', async () => {
    const created = createDeployTokenResponseSchema.parse(
      JSON.parse((await cli('token', 'create', 'admin', '--name', 'admin CI', '--json')).stdout),
    );
    const revoked = await cli('token', 'revoke', created.token.id);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Revoked deploy token ${created.token.id} ("admin CI") for admin.`);

    const { tokens } = deployTokenListResponseSchema.parse(JSON.parse((await cli('token', 'list', '--json')).stdout));
    expect(tokens.find((token) => token.id === created.token.id)?.revokedAt).not.toBeNull();
    expect((await cli('token', 'list')).stdout).toMatch(/admin CI\s+.*revoked \d{4}-/);

    const dist = tempDir({ 'remoteEntry.js': 'var admin = {};' });
    const publish = await runCli(['remote', 'publish', 'admin', '--dist', dist.dir, '--version', '1.0.0'], {
      env: { ATRIUM_SERVER: server.url, ATRIUM_DEPLOY_TOKEN: created.secret, ATRIUM_CONFIG_DIR: '/none' },
    });
    dist.remove();
    expect(publish.code).toBe(1);
    expect(publish.stderr).toContain('registry.token_invalid (HTTP 401)');
  });

  it('shows the server’s answer for an unknown token id', async () => {
    const { code, stderr } = await cli('token', 'revoke', 'not-a-token');
    expect(code).toBe(1);
    expect(stderr).toContain('request.invalid (HTTP 400)');
    expect(stderr).toContain('  - id:');
  });

  it('is for admins only', async () => {
    await server.t.createUser({ email: 'ops@example.com', role: 'ops' });
    const opsConfig = tempDir();
    const opsEnv = { ATRIUM_SERVER: server.url, ATRIUM_CONFIG_DIR: opsConfig.dir };
    await runCli(['login', '--email', 'ops@example.com', '--password-stdin'], { env: opsEnv, input: testPassword });
    const { code, stderr } = await runCli(['token', 'create', 'chat-core', '--name', 'sneaky'], { env: opsEnv });
    opsConfig.remove();
    expect(code).toBe(1);
    expect(stderr).toContain('auth.forbidden (HTTP 403)');
  });
});
