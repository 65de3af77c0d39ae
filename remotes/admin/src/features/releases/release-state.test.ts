import type { Release, RemoteStatus } from '@atrium/contracts';
import { describe, expect, test } from 'vitest';
import {
  canaryHealthState,
  compareSemver,
  defaultRollbackTarget,
  outcomeOf,
  rollbackTargets,
  shortSha,
  versionActions,
  versionMarks,
} from './release-state.js';

const release: Release = {
  remote: 'chat-core',
  stable: '1.1.0',
  previousStable: '1.0.0',
  canary: '1.2.0',
  canaryPercent: 10,
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: { kind: 'user', id: 'u1', displayName: 'Ada', email: 'ada@example.com' },
};

type Listed = RemoteStatus['versions'][number];

const version = (v: string, status: Listed['status'] = 'published'): Listed => ({
  remote: 'chat-core',
  version: v,
  contract: 'chat-core@1',
  gitSha: null,
  entry: 'remoteEntry.js',
  integrity: `sha384-${'a'.repeat(64)}`,
  origin: null,
  status,
  gitDirty: false,
  signature: null,
  publishedBy: { kind: 'user', id: 'u1', displayName: 'Ada', email: 'ada@example.com' },
  publishedAt: '2026-01-01T00:00:00.000Z',
});

const status = (versions: Listed[], over: Partial<Release> = {}): RemoteStatus => ({
  release: { ...release, ...over },
  versions,
  canaryHealth: null,
  lastChange: null,
});

test('semver orders numerically, a pre-release before its release', () => {
  expect(['1.10.0', '1.2.0', '1.2.0-rc.1', '0.9.9'].sort(compareSemver)).toEqual([
    '0.9.9',
    '1.2.0-rc.1',
    '1.2.0',
    '1.10.0',
  ]);
  expect(compareSemver('2.0.0', '2.0.0')).toBe(0);
});

test('marks stable, canary and previous stable', () => {
  expect(versionMarks(release, '1.1.0')).toEqual(['stable']);
  expect(versionMarks(release, '1.2.0')).toEqual(['canary']);
  expect(versionMarks(release, '1.0.0')).toEqual(['previous']);
  expect(versionMarks(release, '0.1.0')).toEqual([]);
});

describe('version actions', () => {
  test('the stable and yanked versions offer nothing; the canary cannot be started again', () => {
    expect(versionActions(release, version('1.1.0'))).toEqual({ promote: false, canary: false, yank: false });
    expect(versionActions(release, version('0.5.0', 'yanked'))).toEqual({ promote: false, canary: false, yank: false });
    expect(versionActions(release, version('1.2.0'))).toEqual({ promote: true, canary: false, yank: true });
    expect(versionActions(release, version('1.0.0'))).toEqual({ promote: true, canary: true, yank: true });
  });

  test('no canary before there is a stable', () => {
    expect(versionActions({ ...release, stable: null }, version('1.0.0')).canary).toBe(false);
  });
});

test('rollback targets are published versions older than stable, the previous stable by default', () => {
  const s = status([
    version('1.2.0'),
    version('1.1.0'),
    version('1.0.0'),
    version('0.9.0'),
    version('0.8.0', 'yanked'),
  ]);
  expect(rollbackTargets(s)).toEqual(['1.0.0', '0.9.0']);
  expect(defaultRollbackTarget(s)).toBe('1.0.0');
  expect(defaultRollbackTarget(status(s.versions, { previousStable: null }))).toBe('1.0.0');
  expect(defaultRollbackTarget(status([version('1.1.0')]))).toBeNull();
  expect(rollbackTargets(status(s.versions, { stable: null }))).toEqual([]);
});

test('outcomes name what changes: a rollback always clears the canary, a promote of the canary too', () => {
  expect(outcomeOf(release, 'rollback', '1.0.0')).toEqual({
    fromStable: '1.1.0',
    toStable: '1.0.0',
    canaryCleared: true,
  });
  expect(outcomeOf({ ...release, canary: null }, 'rollback', '1.0.0').canaryCleared).toBe(false);
  expect(outcomeOf(release, 'promote', '1.2.0').canaryCleared).toBe(true);
  expect(outcomeOf(release, 'promote', '1.0.0').canaryCleared).toBe(false);
  expect(outcomeOf(release, 'yank', '1.2.0')).toEqual({ fromStable: '1.1.0', toStable: '1.1.0', canaryCleared: true });
});

test('canary health is failing as soon as a load failed', () => {
  expect(canaryHealthState(null)).toBe('idle');
  expect(canaryHealthState({ loads: 0, failures: 0, windowSeconds: 300 })).toBe('idle');
  expect(canaryHealthState({ loads: 20, failures: 0, windowSeconds: 300 })).toBe('healthy');
  expect(canaryHealthState({ loads: 20, failures: 3, windowSeconds: 300 })).toBe('failing');
});

test('short git shas', () => {
  expect(shortSha('0123456789abcdef')).toBe('0123456');
  expect(shortSha(null)).toBeNull();
});
