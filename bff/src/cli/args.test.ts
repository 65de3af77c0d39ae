import { describe, expect, it } from 'vitest';
import { commandHelp, integerOption, parseCommandArgs, remoteName } from './args.js';
import { UsageError } from './errors.js';

const spec = {
  name: 'remote canary',
  summary: 'Serve a version to a share of users.',
  positionals: [
    { name: 'name', description: 'the remote' },
    { name: 'version', description: 'a version', optional: true },
  ],
  options: {
    percent: { type: 'string', value: '0-100', description: 'share of users', required: true },
    yes: { type: 'boolean', short: 'y', description: 'do not ask' },
  },
} as const;

describe('parseCommandArgs', () => {
  it('names positionals, defaults booleans to false and accepts options anywhere', () => {
    expect(parseCommandArgs(spec, ['--percent', '10', 'chat-core'])).toEqual({
      values: { percent: '10', yes: false },
      args: { name: 'chat-core', version: undefined },
    });
    expect(parseCommandArgs(spec, ['chat-core', '-y', '1.0.0', '--percent=5'])).toEqual({
      values: { percent: '5', yes: true },
      args: { name: 'chat-core', version: '1.0.0' },
    });
  });

  it('answers help before checking positionals and required options', () => {
    expect(parseCommandArgs(spec, ['--help'])).toBe('help');
    expect(parseCommandArgs(spec, ['billing', '-h'])).toBe('help');
    expect(() => parseCommandArgs(spec, ['-h', '--nonsense'])).toThrow(UsageError);
  });

  it.each([
    [['chat-core'], 'Missing --percent.'],
    [['--percent', '1'], 'Missing <name>.'],
    [['a', 'b', 'c', '--percent', '1'], 'Unexpected argument: c.'],
    [['a', '--percent'], "Option '--percent <value>' argument missing"],
    [['a', '--percent', '1', '--force'], "Unknown option '--force'"],
  ])('%j is a usage error', (argv, message) => {
    let thrown: unknown;
    try {
      parseCommandArgs(spec, argv);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message).toContain(message);
    expect((thrown as UsageError).command).toBe('remote canary');
  });
});

describe('commandHelp', () => {
  it('shows the usage line, the arguments and every option', () => {
    const help = commandHelp(spec);
    expect(help).toContain('Usage: atrium remote canary <name> [<version>] --percent <0-100> [options]');
    expect(help).toMatch(/^ {2}<version>\s+a version$/m);
    expect(help).toMatch(/^ {2}--percent <0-100>\s+share of users$/m);
    expect(help).toMatch(/^ {2}-y, --yes\s+do not ask$/m);
    expect(help).toMatch(/^ {2}-h, --help\s+show this help$/m);
  });
});

describe('small argument parsers', () => {
  it('reads whole numbers only', () => {
    expect(integerOption(undefined, 'limit', 'x')).toBeUndefined();
    expect(integerOption('20', 'limit', 'x')).toBe(20);
    for (const bad of ['-1', '1.5', 'ten', '']) expect(() => integerOption(bad, 'limit', 'x')).toThrow(UsageError);
  });

  it('knows the remotes', () => {
    expect(remoteName('upload-ui', 'x')).toBe('upload-ui');
    expect(() => remoteName('billing', 'x')).toThrow('one of chat-core, auth-ui, admin, upload-ui');
  });
});
