import { describe, expect, it } from 'vitest';
import { commands } from './main.js';
import { runCli } from './test-harness.js';

describe('atrium --help', () => {
  it('lists every command and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of commands) expect(stdout).toContain(`atrium ${command.name}`);
  });

  it('prints each command’s usage with --help, -h and `atrium help <command>`', async () => {
    const runs = await Promise.all(
      commands.flatMap((command) => [
        runCli([...command.name.split(' '), '--help']),
        runCli(['help', ...command.name.split(' ')]),
      ]),
    );
    runs.forEach(({ code, stdout, stderr }, index) => {
      const command = commands[Math.floor(index / 2)]!;
      expect(code, stderr).toBe(0);
      expect(stdout).toContain(`Usage: atrium ${command.name}`);
      expect(stdout).toContain('-h, --help');
    });
    const short = await runCli(['remote', 'rollback', '-h']);
    expect(short.stdout).toContain('--yes');
  });

  it('lists a group’s commands with `atrium remote --help`', async () => {
    const { code, stdout } = await runCli(['remote', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('atrium remote publish');
    expect(stdout).not.toContain('atrium token create');
  });
});

describe('a group at any depth lists its commands', () => {
  it.each([[['remote', 'keys', '--help']], [['remote', 'keys', '-h']], [['help', 'remote', 'keys']]])(
    'atrium %j',
    async (argv) => {
      const { code, stdout, stderr } = await runCli(argv);
      expect(code, stderr).toBe(0);
      expect(stdout).toContain('Usage: atrium remote keys <command>');
      for (const name of ['remote keys add', 'remote keys list', 'remote keys revoke']) {
        expect(stdout).toContain(`atrium ${name}`);
      }
      expect(stdout).not.toContain('atrium remote publish');
    },
  );

  it('atrium remote keys alone prints the group on stderr and exits 2; an unknown leaf names the group', async () => {
    const bare = await runCli(['remote', 'keys']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('atrium remote keys add');
    const unknown = await runCli(['remote', 'keys', 'rotate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "atrium remote keys rotate"');
    expect(unknown.stderr).toContain('Run "atrium remote keys --help"');
  });
});

describe('usage errors exit 2 and say where the help is', () => {
  it.concurrent.each([
    [[], 'Usage: atrium <command>'],
    [['deploy'], 'Unknown command "deploy"'],
    [['remote'], 'Usage: atrium remote <command>'],
    [['remote', 'launch'], 'Unknown command "atrium remote launch"'],
    [['remote', 'promote', 'chat-core'], 'Missing <version>'],
    [['remote', 'promote', 'chat-core', '1.0.0'], 'Missing --reason'],
    [['remote', 'promote', 'chat-core', '1.0.0', '--reason', 'ok', '--force'], "Unknown option '--force'"],
    [['remote', 'promote', 'chat-core', '1.0.0', 'extra', '--reason', 'fine'], 'Unexpected argument: extra'],
    [['remote', 'promote', 'chat-core', '1.0.0', '--reason', 'no'], 'reason: say why'],
    [['remote', 'promote', 'chat-core', 'latest', '--reason', 'because'], 'version: a semantic version'],
    [['remote', 'promote', 'billing', '1.0.0', '--reason', 'because'], 'Unknown remote "billing"'],
    [['remote', 'canary', 'chat-core', '1.0.0', '--percent', 'ten', '--reason', 'because'], '--percent must be'],
    [['remote', 'canary', 'chat-core', '1.0.0', '--percent', '101', '--reason', 'because'], 'percent:'],
    [['remote', 'history', 'chat-core', '--limit', '0'], '--limit must be at least 1'],
    [['remote', 'rollback', 'chat-core', '--reason', 'broken'], 'without --yes when not on a terminal'],
    [['login', '--email', 'ada@example.com'], '--password-stdin'],
    [['token', 'create', 'chat-core'], 'Missing --name'],
  ])('atrium %j', async (args, message) => {
    const { code, stdout, stderr } = await runCli(args, { env: { ATRIUM_CONFIG_DIR: '/nonexistent/atrium' } });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a bad ATRIUM_SERVER before running anything', async () => {
    const { code, stderr } = await runCli(['remote', 'status'], { env: { ATRIUM_SERVER: 'localhost:3000' } });
    expect(code).toBe(2);
    expect(stderr).toContain('ATRIUM_SERVER');
  });
});

describe('failures that are not usage errors exit 1', () => {
  it('says how to sign in when there is no session', async () => {
    const { code, stderr } = await runCli(['remote', 'status'], {
      env: { ATRIUM_CONFIG_DIR: '/nonexistent/atrium', ATRIUM_SERVER: 'http://127.0.0.1:9' },
    });
    expect(code).toBe(1);
    expect(stderr).toContain('You are not signed in.');
    expect(stderr).toContain('atrium login --server http://127.0.0.1:9');
  });

  it('names the server it cannot reach, without a stack trace', async () => {
    const { code, stderr } = await runCli(['login', '--email', 'ada@example.com', '--password-stdin'], {
      input: 'a password',
      env: { ATRIUM_CONFIG_DIR: '/nonexistent/atrium', ATRIUM_SERVER: 'http://127.0.0.1:9' },
    });
    expect(code).toBe(1);
    expect(stderr).toContain('Cannot reach http://127.0.0.1:9');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
