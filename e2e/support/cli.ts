import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `atrium` CLI with its own config folder (its login session lives there). */
export async function createCli(server: string) {
  const configDir = await mkdtemp(join(tmpdir(), 'atrium-cli-'));
  return (args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) =>
    new Promise<CliResult>((resolve) => {
      const child = execFile(
        process.execPath,
        [join(root, 'bff/bin/atrium.mjs'), ...args],
        { env: { ...process.env, ATRIUM_CONFIG_DIR: configDir, ATRIUM_SERVER: server, ...options.env } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin?.end(options.stdin ?? '');
    });
}
