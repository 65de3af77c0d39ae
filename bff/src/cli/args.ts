import { parseArgs } from 'node:util';
import { type RemoteName, remoteNameSchema } from '@atrium/contracts';
import type { z } from 'zod';
import type { CliContext } from './context.js';
import { UsageError } from './errors.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder shown in help: `--reason <text>`. */
  value?: string;
  description: string;
  required?: boolean;
}
export type OptionSpecs = Record<string, OptionSpec>;

export interface PositionalSpec {
  name: string;
  description: string;
  optional?: boolean;
}

export type Values<O extends OptionSpecs> = {
  [K in keyof O]: O[K] extends { type: 'boolean' }
    ? boolean
    : O[K] extends { required: true }
      ? string
      : string | undefined;
};
export type Positionals<P extends readonly PositionalSpec[]> = {
  [E in P[number] as E['name']]: E extends { optional: true } ? string | undefined : string;
};

export interface CommandSpec<O extends OptionSpecs, P extends readonly PositionalSpec[]> {
  /** The words that select it: `remote publish`. */
  name: string;
  summary: string;
  /** Paragraphs printed under the usage line. */
  details?: readonly string[];
  positionals: P;
  options: O;
  run(input: { values: Values<O>; args: Positionals<P> }, ctx: CliContext): Promise<void>;
}

export interface Command {
  name: string;
  summary: string;
  help(): string;
  run(argv: string[], ctx: CliContext): Promise<void>;
}

const helpOption: OptionSpec = { type: 'boolean', short: 'h', description: 'show this help' };

export function defineCommand<O extends OptionSpecs, const P extends readonly PositionalSpec[]>(
  spec: CommandSpec<O, P>,
): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    help: () => commandHelp(spec),
    run: async (argv, ctx) => {
      const parsed = parseCommandArgs(spec, argv);
      if (parsed === 'help') {
        ctx.stdout.write(commandHelp(spec));
        return;
      }
      await spec.run(parsed, ctx);
    },
  };
}

export function parseCommandArgs<O extends OptionSpecs, P extends readonly PositionalSpec[]>(
  spec: Pick<CommandSpec<O, P>, 'name' | 'options' | 'positionals'>,
  argv: string[],
): { values: Values<O>; args: Positionals<P> } | 'help' {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...spec.options, help: helpOption },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    // Node appends advice about `--` and positionals that start with '-': noise for this CLI's arguments.
    throw new UsageError(error instanceof Error ? error.message.split('. To specify')[0]! : String(error), spec.name);
  }
  if (parsed.values.help === true) return 'help';

  const required = spec.positionals.filter((p) => !p.optional);
  if (parsed.positionals.length < required.length) {
    const missing = required.slice(parsed.positionals.length).map((p) => `<${p.name}>`);
    throw new UsageError(`Missing ${missing.join(' ')}.`, spec.name);
  }
  if (parsed.positionals.length > spec.positionals.length) {
    const extra = parsed.positionals.slice(spec.positionals.length);
    throw new UsageError(`Unexpected argument${extra.length > 1 ? 's' : ''}: ${extra.join(' ')}.`, spec.name);
  }
  for (const [key, option] of Object.entries(spec.options)) {
    if (option.required && parsed.values[key] === undefined) throw new UsageError(`Missing --${key}.`, spec.name);
    if (option.type === 'boolean' && parsed.values[key] === undefined) parsed.values[key] = false;
  }
  const args = Object.fromEntries(spec.positionals.map((p, index) => [p.name, parsed.positionals[index]]));
  // parseArgs has checked every value against this same spec; the generic mapping is all that is left.
  return { values: parsed.values as Values<O>, args: args as Positionals<P> };
}

export function commandHelp(
  spec: Pick<
    CommandSpec<OptionSpecs, readonly PositionalSpec[]>,
    'name' | 'summary' | 'details' | 'options' | 'positionals'
  >,
): string {
  const words = spec.positionals.map((p) => (p.optional ? `[<${p.name}>]` : `<${p.name}>`));
  const requiredOptions = Object.entries(spec.options)
    .filter(([, option]) => option.required)
    .map(([key, option]) => `--${key} <${option.value ?? 'value'}>`);
  const lines = [`Usage: atrium ${[spec.name, ...words, ...requiredOptions, '[options]'].join(' ')}`, '', spec.summary];
  for (const paragraph of spec.details ?? []) lines.push('', paragraph);
  if (spec.positionals.length > 0) {
    lines.push('', 'Arguments:');
    lines.push(...columns(spec.positionals.map((p) => [`<${p.name}>`, p.description])));
  }
  const options = Object.entries({ ...spec.options, help: helpOption }).map(([key, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : ''}--${key}${option.type === 'string' ? ` <${option.value ?? 'value'}>` : ''}`;
    return [flag, option.description];
  });
  lines.push('', 'Options:', ...columns(options), '');
  return lines.join('\n');
}

function columns(rows: string[][]): string[] {
  const width = Math.max(...rows.map(([left = '']) => left.length));
  return rows.map(([left = '', right = '']) => `  ${left.padEnd(width)}  ${right}`);
}

/** Checks a request body with its contracts schema before sending it, so bad input is a usage error (exit 2). */
export function parseInput<S extends z.ZodType>(schema: S, input: z.input<S>, command: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`);
  throw new UsageError(problems.join('; '), command);
}

export function integerOption(value: string | undefined, name: string, command: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, not "${value}".`, command);
  return Number(value);
}

export function remoteName(value: string, command: string): RemoteName {
  const parsed = remoteNameSchema.safeParse(value);
  if (!parsed.success) {
    throw new UsageError(`Unknown remote "${value}": one of ${remoteNameSchema.options.join(', ')}.`, command);
  }
  return parsed.data;
}
