import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  type ArtifactFile,
  builtVersionOf,
  contractIdSchema,
  type RemoteName,
  remoteNames,
  semverSchema,
} from '@atrium/contracts';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { actorLabel } from '../cli/actor-label.js';
import type { Database } from '../db/index.js';
import { releaseHistory, remoteVersions } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { systemActor } from './actor.js';
import { actorViewOf } from './actor-view.js';
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

type SeedMode = 'once' | 'watch';
type LocalBuild = NonNullable<Awaited<ReturnType<typeof readLocalBuild>>>;
/** What one pass did for a remote. */
type SeedOutcome = 'no_build' | 'released' | 'unchanged' | 'left_alone' | 'not_seeded' | 'not_mountable';

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

/**
 * `remotes/<name>/dist` as files and bodies, named with the version baked into the build (its
 * `mf-manifest.json`), which is what the remote shows; package.json's only when the build does not say.
 */
async function readLocalBuild(registry: Registry, staticDir: string, remote: RemoteName) {
  const root = path.join(staticDir, 'remotes', remote);
  const pkgText = await readFile(path.join(root, 'package.json'), 'utf8').catch(() => null);
  const dist = path.join(root, 'dist');
  const names = await listFiles(dist).catch(() => null);
  if (pkgText === null || names === null || !names.includes('remoteEntry.js')) return null;
  const pkg = remotePackageSchema.parse(JSON.parse(pkgText));
  const bodies = new Map<string, Buffer>();
  const files: ArtifactFile[] = [];
  let manifest: unknown = null;
  for (const name of names) {
    const body = await readFile(path.join(dist, name));
    const sha384 = sha384Hex(body);
    bodies.set(sha384, body);
    files.push({ path: name, sha384, size: body.length });
    if (name === 'mf-manifest.json') manifest = JSON.parse(body.toString('utf8'));
  }
  const built = builtVersionOf(manifest);
  if (built && built !== pkg.version) {
    registry.logger.warn(
      `remotes/${remote}/dist was built as ${built} but package.json says ${pkg.version}: it is registered as ${built}, the version it shows; rebuild to get ${pkg.version}`,
      { remote, built, declared: pkg.version },
    );
  }
  return { version: built ?? pkg.version, contract: pkg.atrium?.contract ?? `${remote}@1`, files, bodies };
}

function sameFiles(a: readonly ArtifactFile[], b: readonly ArtifactFile[]): boolean {
  const key = (files: readonly ArtifactFile[]) =>
    files
      .map((f) => `${f.path}:${f.sha384}`)
      .sort()
      .join('\n');
  return key(a) === key(b);
}

async function publishAs(registry: Registry, remote: RemoteName, build: LocalBuild, version: string): Promise<void> {
  const request = {
    version,
    contract: build.contract,
    gitSha: null,
    entry: 'remoteEntry.js',
    files: build.files,
    origin: null,
    // Local builds are never signed: with ATRIUM_REQUIRE_SIGNED_RELEASES=true they are not seeded at all.
    gitDirty: false,
    signature: null,
  };
  const { uploadId, missing } = await startPublish(registry, systemActor, remote, request);
  for (const sha of missing) await registry.artifacts.put(sha, build.bodies.get(sha)!, registry.clock.now());
  await commitPublish(registry, systemActor, remote, uploadId, null);
  registry.logger.info('published local build', { remote, version });
}

function mountable(registry: Registry, remote: RemoteName, version: string, contract: string): boolean {
  try {
    assertMountable(remote, { version, contract });
    return true;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    registry.logger.warn(`local build not released: ${error.message}`, { remote, version });
    return false;
  }
}

/**
 * Production (`ATRIUM_SEED_LOCAL_REMOTES=true`): a remote the registry has never seen is
 * published from its local build and made stable, once. A remote with any version is the
 * release process's: nothing is published or promoted for it, whatever was rebuilt.
 */
async function seedEmptyRemote(registry: Registry, remote: RemoteName, build: LocalBuild): Promise<SeedOutcome> {
  const [known] = await registry.db
    .select({ id: remoteVersions.id })
    .from(remoteVersions)
    .where(eq(remoteVersions.remote, remote))
    .limit(1);
  if (known) {
    const registered = await findVersion(registry.db, remote, build.version).catch(() => null);
    if (!registered || !sameFiles(registered.files, build.files)) {
      registry.logger.info(
        `local build of ${remote} ${build.version} not published: the registry has versions of ${remote} already; release it with atrium remote publish`,
        { remote, version: build.version },
      );
    }
    return 'not_seeded';
  }
  await publishAs(registry, remote, build, build.version);
  if (!mountable(registry, remote, build.version, build.contract)) return 'not_mountable';
  const { changed } = await changeRelease(registry, systemActor, remote, null, async (_tx, current) =>
    current.stable
      ? null
      : {
          next: { stable: build.version, previousStable: null, canary: null, canaryPercent: 0 },
          change: { action: 'promote', version: build.version, reason: seedReason },
        },
  );
  return changed ? 'released' : 'unchanged';
}

/** Release actions that decide what users load; `auto_rollback` is the registry's own. */
const releaseDecisions = ['promote', 'canary', 'rollback'] as const;
const done: Record<(typeof releaseDecisions)[number], string> = {
  promote: 'promoted',
  canary: 'started a canary of',
  rollback: 'rolled back',
};

/**
 * The newest release decision on `remote`, when a person (a user or a deploy token) made it
 * after the last automatic release: what the development loop must not override. Promoting a
 * `-dev.` build hands the remote back to the loop.
 */
async function releaseByPerson(db: Database, remote: RemoteName) {
  const [last] = await db
    .select({
      actorId: releaseHistory.actor,
      actor: actorViewOf(releaseHistory.actor),
      action: releaseHistory.action,
      version: releaseHistory.version,
      at: releaseHistory.at,
    })
    .from(releaseHistory)
    .where(and(eq(releaseHistory.remote, remote), inArray(releaseHistory.action, [...releaseDecisions])))
    .orderBy(desc(releaseHistory.id))
    .limit(1);
  if (!last || last.actorId === 'system') return null;
  if (last.action === 'promote' && last.version?.includes('-dev.')) return null;
  return last;
}

type PersonDecision = NonNullable<Awaited<ReturnType<typeof releaseByPerson>>>;

/**
 * Development (`watch`): every rebuild whose files differ from its registered version is
 * published as `<version>-dev.<first 8 hex of the entry's sha384>` and made stable, unless a
 * person has made a release decision since the last automatic one: then it is published only,
 * and the log says who decided what.
 */
async function releaseRebuild(registry: Registry, remote: RemoteName, build: LocalBuild): Promise<SeedOutcome> {
  let version = build.version;
  let existing = await findVersion(registry.db, remote, version).catch(() => null);
  if (existing && !sameFiles(existing.files, build.files)) {
    const entry = build.files.find((file) => file.path === 'remoteEntry.js')!;
    version = `${version}-dev.${entry.sha384.slice(0, 8)}`;
    existing = await findVersion(registry.db, remote, version).catch(() => null);
  }
  if (!existing) await publishAs(registry, remote, build, version);
  if (!mountable(registry, remote, version, build.contract)) return 'not_mountable';
  // Assigned inside the locked transaction below.
  let person = null as PersonDecision | null;
  const { changed } = await changeRelease(registry, systemActor, remote, null, async (tx, current) => {
    if (current.stable === version) return null;
    person = await releaseByPerson(tx, remote);
    if (person) return null;
    return {
      next: { stable: version, previousStable: current.stable, canary: null, canaryPercent: 0 },
      change: { action: 'promote', version, reason: current.stable ? devReason : seedReason },
    };
  });
  if (person) {
    const { actor, action, version: decided, at } = person;
    const actorName = actorLabel(actor);
    registry.logger.warn(
      `left ${remote} alone: ${actorName} ${done[action as keyof typeof done]} ${decided} at ${at.toISOString()}, after the last automatic release. The local build is published as ${version}; to hand ${remote} back to the development loop, promote it: atrium remote promote ${remote} ${version} --reason "…"`,
      { remote, version, decidedBy: actorName, decision: action, decidedVersion: decided },
    );
    return 'left_alone';
  }
  return changed ? 'released' : 'unchanged';
}

/**
 * A fresh checkout just works: `once` publishes each built `remotes/<name>/dist` of a remote
 * the registry has no version of and makes it stable; `watch` (development only) also releases
 * every rebuild, but never over a person's release decision. Returns the watcher's stop.
 */
export async function seedLocalBuilds(registry: Registry, mode: SeedMode, staticDir: string): Promise<() => void> {
  if (registry.config.requireSignedReleases) {
    // Local builds are unsigned; a registry that requires signatures takes only signed publishes.
    registry.logger.info('local builds not seeded: ATRIUM_REQUIRE_SIGNED_RELEASES=true takes only signed publishes');
    return () => undefined;
  }
  for (const remote of remoteNames) await seedOne(registry, mode, staticDir, remote);
  return mode === 'watch' ? watchLocalBuilds(registry, staticDir) : () => undefined;
}

async function seedOne(
  registry: Registry,
  mode: SeedMode,
  staticDir: string,
  remote: RemoteName,
): Promise<SeedOutcome> {
  try {
    const build = await readLocalBuild(registry, staticDir, remote);
    if (!build) return 'no_build';
    return mode === 'once'
      ? await seedEmptyRemote(registry, remote, build)
      : await releaseRebuild(registry, remote, build);
  } catch (error) {
    // Another instance seeding at the same moment wins the race; that is fine.
    if (error instanceof AppError && error.code === 'registry.version_exists') return 'unchanged';
    registry.logger.warn(`could not seed the local build of ${remote}`, {
      remote,
      error: error instanceof Error ? error.message : String(error),
    });
    return 'unchanged';
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
      if ((await seedOne(registry, 'watch', staticDir, remote)) === 'released') {
        registry.logger.info('released local rebuild', { remote });
      }
    }
    busy = false;
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}
