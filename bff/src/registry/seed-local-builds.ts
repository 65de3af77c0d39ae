import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type ArtifactFile, contractIdSchema, type RemoteName, remoteNames, semverSchema } from '@atrium/contracts';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { systemActor } from './actor.js';
import { assertMountable } from './compatibility.js';
import { sha384Hex } from './integrity.js';
import type { Registry } from './registry.js';
import { changeRelease } from './releases.js';
import { commitPublish, findVersion, startPublish } from './versions.js';

const remotePackageSchema = z.object({
  version: semverSchema,
  atrium: z.object({ contract: contractIdSchema }).partial().optional(),
});

const seedReason = 'seeded from local build';
const devReason = 'rebuilt locally (development)';

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? listFiles(dir, relative) : Promise.resolve(entry.isFile() ? [relative] : []);
    }),
  );
  return nested.flat().sort();
}

async function readLocalBuild(staticDir: string, remote: RemoteName) {
  const root = path.join(staticDir, 'remotes', remote);
  const pkgText = await readFile(path.join(root, 'package.json'), 'utf8').catch(() => null);
  const dist = path.join(root, 'dist');
  const names = await listFiles(dist).catch(() => null);
  if (pkgText === null || names === null || !names.includes('remoteEntry.js')) return null;
  const pkg = remotePackageSchema.parse(JSON.parse(pkgText));
  const bodies = new Map<string, Buffer>();
  const files: ArtifactFile[] = [];
  for (const name of names) {
    const body = await readFile(path.join(dist, name));
    const sha384 = sha384Hex(body);
    bodies.set(sha384, body);
    files.push({ path: name, sha384, size: body.length });
  }
  return { version: pkg.version, contract: pkg.atrium?.contract ?? `${remote}@1`, files, bodies };
}

function sameFiles(a: readonly ArtifactFile[], b: readonly ArtifactFile[]): boolean {
  const key = (files: readonly ArtifactFile[]) =>
    files
      .map((f) => `${f.path}:${f.sha384}`)
      .sort()
      .join('\n');
  return key(a) === key(b);
}

type SeedMode = 'once' | 'watch';

async function seedRemote(registry: Registry, staticDir: string, remote: RemoteName, mode: SeedMode): Promise<void> {
  const build = await readLocalBuild(staticDir, remote);
  if (!build) return;
  let existing = await findVersion(registry.db, remote, build.version).catch(() => null);
  if (existing && !sameFiles(existing.files, build.files)) {
    if (mode === 'once') {
      registry.logger.warn(
        `local build of ${remote} ${build.version} differs from the published ${build.version}; versions are immutable: bump the version in remotes/${remote}/package.json to publish it`,
        { remote, version: build.version },
      );
    } else {
      // Development: every rebuild is a new immutable prerelease named after its entry's hash.
      const entry = build.files.find((file) => file.path === 'remoteEntry.js')!;
      build.version = `${build.version}-dev.${entry.sha384.slice(0, 8)}`;
      existing = await findVersion(registry.db, remote, build.version).catch(() => null);
    }
  }
  if (!existing) {
    const request = {
      version: build.version,
      contract: build.contract,
      gitSha: null,
      entry: 'remoteEntry.js',
      files: build.files,
      origin: null,
    };
    const { uploadId, missing } = await startPublish(registry, systemActor, remote, request);
    for (const sha of missing) await registry.artifacts.put(sha, build.bodies.get(sha)!, registry.clock.now());
    await commitPublish(registry, systemActor, remote, uploadId, null);
    registry.logger.info('published local build', { remote, version: build.version });
  }
  try {
    assertMountable(remote, { version: build.version, contract: build.contract });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    registry.logger.warn(`local build not released: ${error.message}`, { remote, version: build.version });
    return;
  }
  await changeRelease(registry, systemActor, remote, null, async (_tx, current) => {
    if (current.stable === build.version || (current.stable && mode === 'once')) return null;
    return {
      next: { stable: build.version, previousStable: current.stable, canary: null, canaryPercent: 0 },
      change: { action: 'promote', version: build.version, reason: current.stable ? devReason : seedReason },
    };
  });
}

/**
 * A fresh checkout just works: each built `remotes/<name>/dist` is published as its
 * package.json version (by `system`) and becomes stable when the remote has none yet.
 */
export async function seedLocalBuilds(registry: Registry, mode: SeedMode, staticDir: string): Promise<() => void> {
  for (const remote of remoteNames) await seedOne(registry, mode, staticDir, remote);
  return mode === 'watch' ? watchLocalBuilds(registry, staticDir) : () => undefined;
}

async function seedOne(registry: Registry, mode: SeedMode, staticDir: string, remote: RemoteName): Promise<void> {
  try {
    await seedRemote(registry, staticDir, remote, mode);
  } catch (error) {
    // Another instance seeding at the same moment wins the race; that is fine.
    if (error instanceof AppError && error.code === 'registry.version_exists') return;
    registry.logger.warn(`could not seed the local build of ${remote}`, {
      remote,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** Development: a rebuilt `dist/remoteEntry.js` is published and released within about a second. */
function watchLocalBuilds(registry: Registry, staticDir: string): () => void {
  const seen = new Map<RemoteName, number>();
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    for (const remote of remoteNames) {
      const entry = path.join(staticDir, 'remotes', remote, 'dist', 'remoteEntry.js');
      const mtime = await stat(entry).then(
        (s) => s.mtimeMs,
        () => 0,
      );
      const before = seen.get(remote);
      seen.set(remote, mtime);
      // Wait for one quiet tick after a change: the build writes its chunks before and after the entry.
      if (before === undefined || mtime === 0 || mtime === before) continue;
      await new Promise((resolve) => setTimeout(resolve, 300));
      await seedOne(registry, 'watch', staticDir, remote);
      registry.logger.info('released local rebuild', { remote });
    }
    busy = false;
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}
