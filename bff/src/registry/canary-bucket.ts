import { createHash } from 'node:crypto';
import type { RemoteName } from '@atrium/contracts';

/**
 * 0–99, the same for a user and remote on every device and every BFF instance: the first four
 * bytes of sha256(`<userId>:<remote>`). Per remote, so one user is not in every canary at once.
 */
export function canaryBucket(userId: string, remote: RemoteName): number {
  return createHash('sha256').update(`${userId}:${remote}`).digest().readUInt32BE(0) % 100;
}

export function inCanary(userId: string, remote: RemoteName, percent: number): boolean {
  return canaryBucket(userId, remote) < percent;
}
