import { execFile } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

/** Builds a remote as a given version into a fresh folder, as a team's release pipeline would. */
export async function buildRemoteVersion(remote: string, version: string): Promise<string> {
  const out = await mkdtemp(join(tmpdir(), `atrium-${remote}-${version}-`));
  await run(join(root, 'remotes', remote, 'node_modules/.bin/rspack'), ['build', '--mode', 'production', '-o', out], {
    cwd: join(root, 'remotes', remote),
    env: { ...process.env, ATRIUM_REMOTE_VERSION: version },
  });
  return out;
}

export async function copyBuild(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true });
}
