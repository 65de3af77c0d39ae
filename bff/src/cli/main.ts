import { adminResetPasswordCommand } from './admin.js';
import type { Command } from './args.js';
import { type CliContext, readCliEnv } from './context.js';
import { CliError, UsageError } from './errors.js';
import { ApiRequestError } from './http.js';
import { loginCommand, logoutCommand } from './login.js';
import { publishCommand } from './remote-publish.js';
import {
  canaryCommand,
  historyCommand,
  promoteCommand,
  rollbackCommand,
  statusCommand,
  yankCommand,
} from './remote-release.js';
import {
  keysGenerateCommand,
  remoteKeysAddCommand,
  remoteKeysListCommand,
  remoteKeysRevokeCommand,
} from './signing.js';
import { tokenCreateCommand, tokenListCommand, tokenRevokeCommand } from './tokens.js';

export const commands: readonly Command[] = [
  loginCommand,
  logoutCommand,
  publishCommand,
  statusCommand,
  canaryCommand,
  promoteCommand,
  rollbackCommand,
  historyCommand,
  yankCommand,
  remoteKeysAddCommand,
  remoteKeysListCommand,
  remoteKeysRevokeCommand,
  keysGenerateCommand,
  tokenCreateCommand,
  tokenListCommand,
  tokenRevokeCommand,
  adminResetPasswordCommand,
];

const helpFlags = new Set(['-h', '--help', 'help']);

function overview(selected: readonly Command[], title: string): string {
  const width = Math.max(...selected.map((c) => c.name.length));
  return [
    title,
    '',
    'Commands:',
    ...selected.map((c) => `  atrium ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "atrium <command> --help" for its arguments and options.',
    'Exit codes: 0 done, 1 refused or failed (the server’s code and message are printed), 2 bad usage.',
    '',
  ].join('\n');
}

const generalHelp = () =>
  overview(
    commands,
    'Usage: atrium <command> [options]\n\nPublish, sign and release Atrium remotes, manage deploy tokens and signing keys, and (on the server) reset a lost password.',
  );

/** The command named by the longest prefix of argv, and the arguments after it. */
function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | null {
  for (const command of [...commands].sort((a, b) => b.name.length - a.name.length)) {
    const words = command.name.split(' ');
    if (words.every((word, index) => argv[index] === word)) return { command, rest: argv.slice(words.length) };
  }
  return null;
}

/** The longest leading words of argv that name a group (a prefix shared by commands), or 0. */
function groupDepth(argv: readonly string[]): number {
  let depth = 0;
  for (let n = 1; n <= argv.length; n++) {
    const prefix = `${argv.slice(0, n).join(' ')} `;
    if (!commands.some((c) => c.name.startsWith(prefix))) break;
    depth = n;
  }
  return depth;
}

function groupOverview(words: readonly string[]): string {
  const prefix = words.join(' ');
  return overview(
    commands.filter((c) => c.name.startsWith(`${prefix} `)),
    `Usage: atrium ${prefix} <command> [options]`,
  );
}

async function dispatch(argv: string[], ctx: CliContext): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    ctx.stderr.write(generalHelp());
    return 2;
  }
  if (helpFlags.has(first)) {
    const target = rest.length > 0 ? findCommand(rest) : null;
    const depth = target ? 0 : groupDepth(rest);
    ctx.stdout.write(target ? target.command.help() : depth > 0 ? groupOverview(rest.slice(0, depth)) : generalHelp());
    return 0;
  }
  const found = findCommand(argv);
  if (found) {
    await found.command.run(found.rest, ctx);
    return 0;
  }
  // A group at any depth (`atrium remote`, `atrium remote keys`): --help lists its commands.
  const depth = groupDepth(argv);
  if (depth > 0) {
    const words = argv.slice(0, depth);
    const next = argv[depth];
    const asked = next !== undefined && helpFlags.has(next);
    if (!asked && next !== undefined) {
      throw new UsageError(`Unknown command "atrium ${words.join(' ')} ${next}".`, words.join(' '));
    }
    (asked ? ctx.stdout : ctx.stderr).write(groupOverview(words));
    return asked ? 0 : 2;
  }
  throw new UsageError(`Unknown command "${first}".`);
}

function report(error: unknown, ctx: CliContext): number {
  const say = (line: string) => ctx.stderr.write(`${line}\n`);
  if (error instanceof UsageError) {
    say(`atrium: ${error.message}`);
    say(`Run "atrium ${error.command ? `${error.command} ` : ''}--help" for usage.`);
    return 2;
  }
  if (error instanceof ApiRequestError) {
    say(`atrium: ${error.code} (HTTP ${error.status}): ${error.message}`);
    for (const issue of error.issues) say(`  - ${issue.path || 'body'}: ${issue.message}`);
  } else if (error instanceof CliError) {
    say(`atrium: ${error.message}`);
  } else {
    // Not ours: still one line, no stack; the message is what a user can act on.
    say(`atrium: unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (error instanceof CliError) for (const hint of error.hints) say(hint);
  return 1;
}

/** Runs one command line; resolves to the exit code and never throws. */
export async function main(
  argv: string[],
  partial: Omit<CliContext, 'env'> & { env?: CliContext['env'] },
): Promise<number> {
  try {
    const ctx: CliContext = { ...partial, env: partial.env ?? readCliEnv(process.env) };
    return await dispatch(argv, ctx);
  } catch (error) {
    return report(error, { ...partial, env: { server: null, deployToken: null, configDir: '' } });
  }
}
