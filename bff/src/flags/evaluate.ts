import type { FlagSnapshot, FlagTargeting } from '@atrium/contracts';
import { stickyBucket } from '../registry/canary-bucket.js';
import type { FlagUser } from './flags.js';

export interface FlagDefinition {
  key: string;
  enabled: boolean;
  targeting: FlagTargeting;
}

/**
 * The rule of contracts/src/flags.ts: on when enabled and the user is listed, has a listed role,
 * or falls inside the percentage. The bucket is sha256(`<flag>:<userId>`) (canary-bucket.ts), so a
 * user keeps their answer as the percentage grows and is not in every flag's share at once.
 */
export function isOnFor(flag: FlagDefinition, user: FlagUser): boolean {
  if (!flag.enabled) return false;
  const { userIds, roles, percentage } = flag.targeting;
  if (userIds.includes(user.id) || roles.includes(user.role)) return true;
  return stickyBucket(`${flag.key}:${user.id}`) < percentage;
}

export function snapshotOf(flags: Iterable<FlagDefinition>, user: FlagUser): FlagSnapshot {
  const snapshot: FlagSnapshot = {};
  for (const flag of flags) snapshot[flag.key] = isOnFor(flag, user);
  return snapshot;
}
