import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  contractIdSchema,
  type RemoteBuild,
  type RemoteMap,
  type RemoteName,
  type ResolvedRemote,
  remoteNames,
} from '@atrium/contracts';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { UserRow } from '../db/schema/index.js';

const remotePackageSchema = z.object({
  version: z.string().regex(/^[0-9A-Za-z.+-]+$/),
  atrium: z.object({ contract: contractIdSchema }).partial().optional(),
});

export function remoteDistDir(staticDir: string, name: RemoteName): string {
  return path.join(staticDir, 'remotes', name, 'dist');
}

export async function readRemoteVersion(staticDir: string, name: RemoteName): Promise<string | null> {
  const raw = await readFile(path.join(staticDir, 'remotes', name, 'package.json'), 'utf8').catch(() => null);
  if (raw === null) return null;
  const parsed = remotePackageSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data.version : null;
}

interface CachedBuild {
  stamp: string;
  build: RemoteBuild;
}

/**
 * The remotes built in this checkout. Rebuilt entries are noticed by mtime, without a restart.
 * Shaped as a per-user resolver so the versioned registry with canary buckets can replace it.
 */
export function createLocalCatalog(options: { staticDir: string; clock: Clock }) {
  const cache = new Map<RemoteName, CachedBuild>();

  async function loadBuild(name: RemoteName): Promise<RemoteBuild | null> {
    const entryPath = path.join(remoteDistDir(options.staticDir, name), 'remoteEntry.js');
    const pkgPath = path.join(options.staticDir, 'remotes', name, 'package.json');
    const [entryStat, pkgStat] = await Promise.all([
      stat(entryPath).catch(() => null),
      stat(pkgPath).catch(() => null),
    ]);
    if (!entryStat || !pkgStat) return null;
    const stamp = `${entryStat.mtimeMs}:${entryStat.size}:${pkgStat.mtimeMs}`;
    const cached = cache.get(name);
    if (cached?.stamp === stamp) return cached.build;

    const pkg = remotePackageSchema.safeParse(JSON.parse(await readFile(pkgPath, 'utf8')));
    if (!pkg.success) return null;
    const digest = createHash('sha384')
      .update(await readFile(entryPath))
      .digest('base64');
    const build: RemoteBuild = {
      version: pkg.data.version,
      entry: `/remotes/${name}/${pkg.data.version}/remoteEntry.js`,
      integrity: `sha384-${digest}`,
      contract: pkg.data.atrium?.contract ?? `${name}@1`,
    };
    cache.set(name, { stamp, build });
    return build;
  }

  return async function resolveRemoteMap(_user: UserRow | null): Promise<RemoteMap> {
    const builds = await Promise.all(remoteNames.map(async (name) => [name, await loadBuild(name)] as const));
    const remotes: Partial<Record<RemoteName, ResolvedRemote>> = {};
    for (const [name, build] of builds) {
      if (build) remotes[name] = { name, ...build, fallback: null };
    }
    return { generatedAt: options.clock.now().toISOString(), remotes };
  };
}
