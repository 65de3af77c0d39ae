import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { OptionSpec } from './args.js';
import { UsageError } from './errors.js';

export interface CliEnv {
  /** ATRIUM_SERVER */
  server: string | null;
  /** ATRIUM_DEPLOY_TOKEN */
  deployToken: string | null;
  /** ATRIUM_CONFIG_DIR, default ~/.config/atrium: where `atrium login` keeps its session. */
  configDir: string;
  /** ATRIUM_SIGNING_KEY: path of the PKCS8 PEM private key `atrium remote publish` signs with. */
  signingKey?: string | null;
}

export interface CliOutput extends NodeJS.WritableStream {
  isTTY?: boolean;
}
export interface CliInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  /** Present on a terminal: turns echo and line buffering off for a hidden prompt. */
  setRawMode?(raw: boolean): unknown;
}

/** The streams a command talks through; `isTTY` decides prompts and the progress bar's style. */
export interface CliContext {
  env: CliEnv;
  cwd: string;
  stdout: CliOutput;
  stderr: CliOutput;
  stdin: CliInput;
  now(): number;
}

const blankIsUnset = (value: unknown) => (value === '' ? undefined : value);
const envSchema = z.object({
  ATRIUM_SERVER: z.preprocess(blankIsUnset, z.url({ protocol: /^https?$/ }).optional()),
  ATRIUM_DEPLOY_TOKEN: z.preprocess(blankIsUnset, z.string().optional()),
  ATRIUM_CONFIG_DIR: z.preprocess(blankIsUnset, z.string().optional()),
  ATRIUM_SIGNING_KEY: z.preprocess(blankIsUnset, z.string().optional()),
});

/** The CLI's whole environment, read once; a bad value is a usage error before any command runs. */
export function readCliEnv(env: Record<string, string | undefined>): CliEnv {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new UsageError(`Bad environment: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    server: e.ATRIUM_SERVER ?? null,
    deployToken: e.ATRIUM_DEPLOY_TOKEN ?? null,
    configDir: path.resolve(e.ATRIUM_CONFIG_DIR ?? path.join(os.homedir(), '.config', 'atrium')),
    signingKey: e.ATRIUM_SIGNING_KEY ?? null,
  };
}

export const defaultServer = 'http://localhost:3000';

export const serverOption = {
  type: 'string',
  value: 'url',
  description: `the BFF (default: ATRIUM_SERVER, else the signed-in server, else ${defaultServer})`,
} as const satisfies OptionSpec;

export const jsonOption = {
  type: 'boolean',
  description: 'print the server’s answer as JSON',
} as const satisfies OptionSpec;

/** `--server`, else ATRIUM_SERVER, else the server of the stored session, else localhost. */
export function resolveServer(
  flag: string | undefined,
  env: CliEnv,
  sessionServer: string | null,
  command: string,
): URL {
  const chosen = flag ?? env.server ?? sessionServer ?? defaultServer;
  let url: URL;
  try {
    url = new URL(chosen);
  } catch {
    throw new UsageError(`--server must be a URL such as ${defaultServer}, not "${chosen}".`, command);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--server must be an http or https URL, not "${chosen}".`, command);
  }
  return new URL(url.origin);
}
