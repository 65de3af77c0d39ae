import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunOptions, UsageError } from './options.js';

const evalsDir = join(import.meta.dirname, '..');

describe('parseRunOptions', () => {
  it('defaults to a gate of 0.8 and the files in evals/', () => {
    expect(parseRunOptions([], '/somewhere')).toEqual({
      help: false,
      gate: 0.8,
      dataset: join(evalsDir, 'dataset.jsonl'),
      report: join(evalsDir, 'report.md'),
      only: null,
      caseTimeoutMs: 60_000,
      readyTimeoutMs: 300_000,
    });
  });

  it('reads flags, with relative paths from the directory the command was typed in', () => {
    const options = parseRunOptions(
      ['--gate', '0.95', '--report', 'out/r.md', '--only', 'a, b', '--case-timeout', '5', '-h'],
      '/work',
    );
    expect(options).toMatchObject({
      help: true,
      gate: 0.95,
      report: '/work/out/r.md',
      only: ['a', 'b'],
      caseTimeoutMs: 5000,
    });
  });

  it.each([
    [['--gate', '1.5'], /--gate must be a number from 0 to 1/],
    [['--gate', 'high'], /--gate must be a number from 0 to 1/],
    [['--case-timeout', '0'], /--case-timeout must be a positive number/],
    [['--gates', '0.5'], /Unknown option '--gates'/],
    [['extra'], /positional/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseRunOptions(argv, '/work')).toThrow(UsageError);
    expect(() => parseRunOptions(argv, '/work')).toThrow(message);
  });
});
