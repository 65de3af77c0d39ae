import type { ActorView, Release, RemoteName } from '@atrium/contracts';
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { type ReleaseRow, type ReleaseState, releases, remoteVersions } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { type Actor, actorName } from './actor.js';
import { actorViewOf } from './actor-view.js';
import { assertMountable } from './compatibility.js';
import { type ReleaseAction, recordReleaseChange } from './history.js';
import type { Registry } from './registry.js';
import { compareSemver } from './semver.js';
import { findVersion } from './versions.js';

type NextRelease = Pick<ReleaseRow, 'stable' | 'previousStable' | 'canary' | 'canaryPercent'>;

export interface ReleaseChange {
  action: ReleaseAction;
  version: string | null;
  reason: string;
  automatic?: boolean;
}

export type NamedReleaseRow = ReleaseRow & { updater: ActorView | null };
export const namedRelease = {
  ...getTableColumns(releases),
  updater: sql<ActorView | null>`case when ${releases.updatedBy} is null then null else ${actorViewOf(releases.updatedBy)} end`,
};

export function toRelease(remote: RemoteName, row: NamedReleaseRow | undefined): Release {
  return {
    remote,
    stable: row?.stable ?? null,
    previousStable: row?.previousStable ?? null,
    canary: row?.canary ?? null,
    canaryPercent: row?.canaryPercent ?? 0,
    updatedAt: (row?.updatedAt ?? new Date(0)).toISOString(),
    updatedBy: row?.updater ?? null,
  };
}

export async function findRelease(db: Database, remote: RemoteName): Promise<NamedReleaseRow | undefined> {
  const [row] = await db.select(namedRelease).from(releases).where(eq(releases.remote, remote));
  return row;
}

const stateOf = (r: NextRelease): ReleaseState => ({
  stable: r.stable,
  canary: r.canary,
  canaryPercent: r.canaryPercent,
});

/**
 * The one way a release changes: the row is locked, `decide` computes the next state from the
 * current one (or returns null for "nothing to do"), and the row, its history and the audit
 * entry are written in the same transaction, with the `release.changed` event when it changed.
 */
export async function changeRelease(
  registry: Registry,
  actor: Actor,
  remote: RemoteName,
  requestId: string | null,
  decide: (tx: Database, current: ReleaseRow) => Promise<{ next: NextRelease; change: ReleaseChange } | null>,
): Promise<{ release: Release; changed: boolean }> {
  const now = registry.clock.now();
  const result = await registry.changeReleases(async (tx, announce) => {
    await tx.insert(releases).values({ remote, updatedAt: now }).onConflictDoNothing();
    const [current] = await tx.select().from(releases).where(eq(releases.remote, remote)).for('update');
    const decision = await decide(tx, current!);
    if (!decision) return { row: await findRelease(tx, remote), change: null };
    await tx
      .update(releases)
      .set({ ...decision.next, updatedAt: now, updatedBy: actorName(actor) })
      .where(eq(releases.remote, remote));
    await recordReleaseChange(tx, {
      remote,
      at: now,
      actor,
      ...decision.change,
      from: stateOf(current!),
      to: stateOf(decision.next),
      requestId,
    });
    await announce(remote, decision.change.reason);
    return { row: await findRelease(tx, remote), change: decision.change };
  });
  return { release: toRelease(remote, result.row), changed: result.change !== null };
}

/**
 * A version that may be exposed (made stable, canary or rollback target): not yanked, mountable,
 * and, with signed releases required, signed by a key that is still active (422
 * `release.signature_required` for an unsigned one published before the switch,
 * `release.signature_invalid` for one whose key was revoked since).
 */
async function releasable(registry: Registry, tx: Database, remote: RemoteName, version: string) {
  const row = await findVersion(tx, remote, version);
  if (row.status === 'yanked') {
    throw new AppError('registry.version_yanked', 409, `${remote} ${version} was yanked and can't be released.`);
  }
  assertMountable(remote, row);
  if (registry.config.requireSignedReleases) {
    if (!row.signatureKeyId) {
      throw new AppError(
        'release.signature_required',
        422,
        `${remote} ${version} is unsigned and this registry requires signed releases: publish a signed version.`,
      );
    }
    if (row.signerRevokedAt) {
      throw new AppError(
        'release.signature_invalid',
        422,
        `${remote} ${version} was signed by "${row.signer}", a key revoked on ${row.signerRevokedAt.toISOString()}: publish a version signed by an active key.`,
      );
    }
  }
  return row;
}

export function promote(
  registry: Registry,
  actor: Actor,
  remote: RemoteName,
  input: { version: string; reason: string },
  requestId: string | null,
) {
  return changeRelease(registry, actor, remote, requestId, async (tx, current) => {
    await releasable(registry, tx, remote, input.version);
    if (current.stable === input.version) {
      throw new AppError('registry.version_in_use', 409, `${remote} ${input.version} is already the stable version.`);
    }
    const wasCanary = current.canary === input.version;
    return {
      next: {
        stable: input.version,
        previousStable: current.stable,
        canary: wasCanary ? null : current.canary,
        canaryPercent: wasCanary ? 0 : current.canaryPercent,
      },
      change: { action: 'promote', version: input.version, reason: input.reason },
    };
  });
}

export function setCanary(
  registry: Registry,
  actor: Actor,
  remote: RemoteName,
  input: { version: string; percent: number; reason: string },
  requestId: string | null,
) {
  return changeRelease(registry, actor, remote, requestId, async (tx, current) => {
    await releasable(registry, tx, remote, input.version);
    if (!current.stable) {
      throw new AppError(
        'registry.no_stable',
        409,
        `${remote} has no stable version yet: promote one before a canary.`,
      );
    }
    if (current.stable === input.version) {
      throw new AppError('registry.version_in_use', 409, `${remote} ${input.version} is the stable version already.`);
    }
    return {
      next: { ...current, canary: input.version, canaryPercent: input.percent },
      change: { action: 'canary', version: input.version, reason: input.reason },
    };
  });
}

/** The newest published version older than `version`: the last known good after a rollback. */
async function publishedBefore(tx: Database, remote: RemoteName, version: string): Promise<string | null> {
  const rows = await tx
    .select({ version: remoteVersions.version })
    .from(remoteVersions)
    .where(and(eq(remoteVersions.remote, remote), eq(remoteVersions.status, 'published')));
  const older = rows.map((r) => r.version).filter((v) => compareSemver(v, version) < 0);
  return older.sort(compareSemver).at(-1) ?? null;
}

export function rollback(
  registry: Registry,
  actor: Actor,
  remote: RemoteName,
  input: { version?: string | undefined; reason: string },
  requestId: string | null,
) {
  return changeRelease(registry, actor, remote, requestId, async (tx, current) => {
    // Without a version, a rollback undoes the newest exposure: a running canary first.
    if (!input.version && current.canary && current.canaryPercent > 0) {
      return {
        next: { ...current, canary: null, canaryPercent: 0 },
        change: { action: 'rollback', version: current.canary, reason: input.reason },
      };
    }
    const target = input.version ?? current.previousStable;
    if (!current.stable || !target) {
      throw new AppError(
        'registry.no_rollback_target',
        409,
        `${remote} has no previous stable version to roll back to.`,
      );
    }
    if (compareSemver(target, current.stable) >= 0) {
      throw new AppError(
        'registry.no_rollback_target',
        409,
        `${remote} ${target} is not older than the stable ${current.stable}: promote it instead.`,
      );
    }
    await releasable(registry, tx, remote, target);
    return {
      next: {
        stable: target,
        previousStable: await publishedBefore(tx, remote, target),
        canary: null,
        canaryPercent: 0,
      },
      change: { action: 'rollback', version: target, reason: input.reason },
    };
  });
}

export function yank(
  registry: Registry,
  actor: Actor,
  remote: RemoteName,
  input: { version: string; reason: string },
  requestId: string | null,
) {
  return changeRelease(registry, actor, remote, requestId, async (tx, current) => {
    const row = await findVersion(tx, remote, input.version);
    if (row.status === 'yanked') {
      throw new AppError('registry.version_yanked', 409, `${remote} ${input.version} is yanked already.`);
    }
    if (current.stable === input.version) {
      throw new AppError(
        'registry.version_in_use',
        409,
        `${remote} ${input.version} is the stable version: promote or roll back to another version first.`,
      );
    }
    await tx
      .update(remoteVersions)
      .set({ status: 'yanked', yankedReason: input.reason })
      .where(eq(remoteVersions.id, row.id));
    const wasCanary = current.canary === input.version;
    return {
      next: {
        stable: current.stable,
        previousStable: current.previousStable === input.version ? null : current.previousStable,
        canary: wasCanary ? null : current.canary,
        canaryPercent: wasCanary ? 0 : current.canaryPercent,
      },
      change: { action: 'yank', version: input.version, reason: input.reason },
    };
  });
}
