import { createHash } from 'node:crypto';
import type { RemoteName } from '@atrium/contracts';

/**
 * 0–99, the same for a seed on every device and every BFF instance: the first four bytes of
 * sha256(seed) mod 100. Canaries and feature-flag percentages (`<flag>:<userId>`) share it.
 */
export function stickyBucket(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) % 100;
}

/** The user's bucket for one remote (`<userId>:<remote>`): per remote, so one user is not in every canary at once. */
export function canaryBucket(userId: string, remote: RemoteName): number {
  return stickyBucket(`${userId}:${remote}`);
}

export function inCanary(userId: string, remote: RemoteName, percent: number): boolean {
  return canaryBucket(userId, remote) < percent;
}
