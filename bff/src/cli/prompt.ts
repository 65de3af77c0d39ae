import { createInterface } from 'node:readline/promises';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';

export function interactive(ctx: CliContext): boolean {
  return ctx.stdin.isTTY === true && ctx.stderr.isTTY === true;
}

/** Reads a secret from the terminal without echoing it. */
export function askHidden(ctx: CliContext, question: string): Promise<string> {
  const { stdin, stderr } = ctx;
  const setRawMode = stdin.setRawMode?.bind(stdin);
  if (!setRawMode) throw new CliError('Cannot hide what you type here: pipe the password in with --password-stdin.');
  stderr.write(question);
  setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const done = () => {
      stdin.off('data', onData);
      setRawMode(false);
      stdin.pause();
      stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          done();
          resolve(value);
          return;
        }
        if (char === '\u0003') {
          done();
          reject(new CliError('Cancelled.'));
          return;
        }
        value = char === '\u007f' || char === '\b' ? value.slice(0, -1) : value + char;
      }
    };
    stdin.on('data', onData);
  });
}

export async function confirm(ctx: CliContext, question: string): Promise<boolean> {
  const reader = createInterface({ input: ctx.stdin, output: ctx.stderr, terminal: false });
  try {
    return /^y(es)?$/i.test((await reader.question(`${question} [y/N] `)).trim());
  } finally {
    reader.close();
  }
}

/** All of stdin, without the one trailing newline `echo` or a file adds. */
export async function readStdin(ctx: CliContext): Promise<string> {
  let text = '';
  ctx.stdin.setEncoding('utf8');
  for await (const chunk of ctx.stdin) text += chunk;
  return text.replace(/\r?\n$/, '');
}
