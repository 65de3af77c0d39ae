import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const remotes = ['chat-core', 'auth-ui', 'admin', 'upload-ui'];

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

export interface EditableCheckout {
  /** Use as `ATRIUM_STATIC_DIR`: `shell/dist` and every `remotes/<name>/{package.json,dist}` are there. */
  dir: string;
  /** Changes one source file of the editable remote, e.g. `src/i18n/en.ts`. */
  edit(file: string, change: (text: string) => string): Promise<void>;
  /** `pnpm --filter @atrium/<remote> build` in this checkout: a production build into its `dist/`. */
  rebuild(): Promise<void>;
  remove(): Promise<void>;
}

/**
 * A checkout of its own in which one remote's sources can be changed and rebuilt while the
 * product runs, without touching the repository other journeys build from. The editable remote
 * is copied (sources and its current build); the shell and the other remotes' builds are linked.
 */
export async function checkoutWithEditableRemote(remote: string): Promise<EditableCheckout> {
  const dir = await mkdtemp(join(tmpdir(), `atrium-checkout-${remote}-`));
  await mkdir(join(dir, 'shell'));
  await symlink(join(root, 'shell/dist'), join(dir, 'shell/dist'));
  // The build preset reads the shared workspace packages' versions from the checkout.
  for (const pkg of ['shared', 'contracts']) {
    await mkdir(join(dir, pkg));
    await cp(join(root, pkg, 'package.json'), join(dir, pkg, 'package.json'));
  }
  for (const name of remotes) {
    const from = join(root, 'remotes', name);
    const to = join(dir, 'remotes', name);
    await mkdir(to, { recursive: true });
    if (name !== remote) {
      await cp(join(from, 'package.json'), join(to, 'package.json'));
      await symlink(join(from, 'dist'), join(to, 'dist'));
      continue;
    }
    for (const entry of ['package.json', 'rspack.config.ts', 'module-federation.config.ts', 'src', 'dist']) {
      await cp(join(from, entry), join(to, entry), { recursive: true });
    }
    await symlink(join(from, 'node_modules'), join(to, 'node_modules'));
  }
  const remoteDir = join(dir, 'remotes', remote);
  return {
    dir,
    async edit(file, change) {
      const path = join(remoteDir, file);
      await writeFile(path, change(await readFile(path, 'utf8')));
    },
    async rebuild() {
      await run(join(remoteDir, 'node_modules/.bin/rspack'), ['build', '--mode', 'production'], { cwd: remoteDir });
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
