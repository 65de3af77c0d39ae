import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RemoteName } from '@atrium/contracts';
import { z } from 'zod';

/** The parts of a remote's package.json that publishing reads. */
const remotePackageSchema = z.object({
  version: z.string().optional(),
  atrium: z.object({ contract: z.string().optional() }).optional(),
});

export interface RemotePackage {
  /** Where the remote's package.json lives: `<repo>/remotes/<name>`, or the cwd outside a checkout. */
  dir: string;
  version: string | null;
  contract: string | null;
}

/** `<repo>/remotes/<name>` found from `cwd` upwards, else `cwd` itself (a remote built outside the monorepo). */
export function findRemotePackage(name: RemoteName, cwd: string): RemotePackage {
  let dir = path.resolve(cwd);
  let remoteDir = cwd;
  for (;;) {
    const candidate = path.join(dir, 'remotes', name);
    if (existsSync(path.join(candidate, 'package.json'))) {
      remoteDir = candidate;
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return { dir: remoteDir, ...readPackage(path.join(remoteDir, 'package.json')) };
}

function readPackage(file: string): Pick<RemotePackage, 'version' | 'contract'> {
  try {
    const parsed = remotePackageSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    return { version: parsed.version ?? null, contract: parsed.atrium?.contract ?? null };
  } catch {
    return { version: null, contract: null };
  }
}

/** The commit the build came from, when `dir` is inside a git checkout. */
export function headCommit(dir: string): string | null {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return /^[a-f0-9]{40}$/.test(sha.trim()) ? sha.trim() : null;
  } catch {
    return null;
  }
}
