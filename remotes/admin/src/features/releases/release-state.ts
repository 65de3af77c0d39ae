import type { Release, ReleaseHistoryEntry, RemoteStatus } from '@atrium/contracts';

type ListedVersion = RemoteStatus['versions'][number];
export type VersionMark = 'stable' | 'canary' | 'previous';

function parse(version: string): { core: number[]; pre: string | null } {
  const [core = '', ...pre] = version.split('-');
  return { core: core.split('.').map(Number), pre: pre.length ? pre.join('-') : null };
}

/** Semver precedence, enough for the registry's versions: numeric core, then a pre-release sorts first. */
export function compareSemver(a: string, b: string): number {
  const left = parse(a);
  const right = parse(b);
  for (let i = 0; i < 3; i++) {
    const diff = (left.core[i] ?? 0) - (right.core[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  if (left.pre === right.pre) return 0;
  if (left.pre === null) return 1;
  if (right.pre === null) return -1;
  return left.pre < right.pre ? -1 : 1;
}

export function versionMarks(release: Release, version: string): VersionMark[] {
  const marks: VersionMark[] = [];
  if (release.stable === version) marks.push('stable');
  if (release.canary === version) marks.push('canary');
  if (release.previousStable === version) marks.push('previous');
  return marks;
}

/** What the registry would accept for this version; the BFF still decides. */
export function versionActions(release: Release, version: ListedVersion) {
  const live = version.status === 'published';
  const isStable = release.stable === version.version;
  return {
    promote: live && !isStable,
    canary: live && !isStable && release.stable !== null && release.canary !== version.version,
    yank: live && !isStable,
  };
}

/** Published versions older than the stable, newest first: what a rollback may go back to. */
export function rollbackTargets(status: RemoteStatus): string[] {
  const { stable } = status.release;
  if (!stable) return [];
  return status.versions
    .filter((v) => v.status === 'published' && compareSemver(v.version, stable) < 0)
    .map((v) => v.version)
    .sort((a, b) => compareSemver(b, a));
}

export function defaultRollbackTarget(status: RemoteStatus): string | null {
  const targets = rollbackTargets(status);
  const previous = status.release.previousStable;
  return previous && targets.includes(previous) ? previous : (targets[0] ?? null);
}

export type ReleaseAction = 'promote' | 'rollback' | 'yank';

/** The release after an action, as the confirmation names it. Mirrors the registry's rules. */
export function outcomeOf(release: Release, action: ReleaseAction, version: string) {
  const fromStable = release.stable;
  const canaryCleared = release.canary !== null && (action === 'rollback' || release.canary === version);
  const toStable = action === 'yank' ? fromStable : version;
  return { fromStable, toStable, canaryCleared };
}

export type CanaryHealthState = 'idle' | 'healthy' | 'failing';

export function canaryHealthState(health: RemoteStatus['canaryHealth']): CanaryHealthState {
  if (!health || health.loads === 0) return 'idle';
  return health.failures > 0 ? 'failing' : 'healthy';
}

export function wasAutoRolledBack(lastChange: ReleaseHistoryEntry | null): boolean {
  return lastChange?.action === 'auto_rollback';
}

export function shortSha(sha: string | null): string | null {
  return sha ? sha.slice(0, 7) : null;
}
