import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliServer, runCli, runOnTerminal, startCliServer, tempDir, testPassword } from './test-harness.js';

let server: CliServer;
let config: { dir: string; remove(): void };
let env: Record<string, string>;

beforeAll(async () => {
  server = await startCliServer();
  config = tempDir();
  env = { ATRIUM_SERVER: server.url, ATRIUM_CONFIG_DIR: `${config.dir}/atrium` };
  await server.t.createUser({ email: 'ops@example.com', role: 'ops' });
});
afterAll(async () => {
  config.remove();
  await server.close();
});

describe('atrium login', () => {
  it('refuses a wrong password with the server’s code and stores nothing', async () => {
    const { code, stderr } = await runCli(['login', '--email', 'ops@example.com', '--password-stdin'], {
      env,
      input: 'not the password',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('auth.invalid_credentials (HTTP 401)');
    expect(() => statSync(`${config.dir}/atrium/session.json`)).toThrow();
  });

  it('keeps the server, session cookie and CSRF token in a file only the user can read', async () => {
    const { code, stdout, stderr } = await runCli(['login', '--email', 'OPS@example.com', '--password-stdin'], {
      env,
      input: `${testPassword}\n`,
    });
    expect(code, stderr).toBe(0);
    expect(stdout).toBe(`Signed in to ${server.url} as ops@example.com (ops).\n`);
    const file = `${config.dir}/atrium/session.json`;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(`${config.dir}/atrium`).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored).toEqual({
      server: server.url,
      cookie: expect.stringMatching(/^atrium_session=.+/),
      csrfToken: expect.any(String),
    });
    expect((await runCli(['remote', 'status'], { env })).code).toBe(0);
  });

  it('signs out on the server too, so the stored cookie no longer works', async () => {
    const stored = readFileSync(`${config.dir}/atrium/session.json`, 'utf8');
    const { code, stdout } = await runCli(['logout'], { env });
    expect(code).toBe(0);
    expect(stdout).toBe(`Signed out of ${server.url}.\n`);
    expect(() => statSync(`${config.dir}/atrium/session.json`)).toThrow();

    const replay = tempDir({ 'session.json': stored });
    const { code: replayed, stderr } = await runCli(['remote', 'status'], {
      env: { ...env, ATRIUM_CONFIG_DIR: replay.dir },
    });
    replay.remove();
    expect(replayed).toBe(1);
    expect(stderr).toContain('auth.required (HTTP 401)');
    expect(stderr).toContain(`atrium login --server ${server.url}`);
  });

  it('says so when logging out without a session', async () => {
    const { code, stdout } = await runCli(['logout'], { env });
    expect(code).toBe(0);
    expect(stdout).toBe('You are not signed in.\n');
  });

  it('reports a damaged session file instead of crashing', async () => {
    const damaged = tempDir({ 'session.json': '{"server":' });
    const { code, stderr } = await runCli(['remote', 'status'], { env: { ...env, ATRIUM_CONFIG_DIR: damaged.dir } });
    damaged.remove();
    expect(code).toBe(1);
    expect(stderr).toContain('session.json is damaged');
  });
});

describe('atrium login on a terminal', () => {
  it('asks for the password without echoing it', async () => {
    const dir = tempDir();
    const result = await runOnTerminal(
      ['login', '--email', 'ops@example.com'],
      { server: server.url, deployToken: null, configDir: dir.dir },
      `${testPassword}x\u007f\r`,
    );
    dir.remove();
    expect(result.code, result.stderr).toBe(0);
    expect(result.rawModes).toEqual([true, false]);
    expect(result.stderr).toContain('Password for ops@example.com: \n');
    expect(result.stderr).not.toContain(testPassword);
    expect(result.stdout).toContain('Signed in to');
  });
});
