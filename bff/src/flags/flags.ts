import type { FlagSnapshot } from '@atrium/contracts';
import type { UserRow } from '../db/schema/index.js';

/**
 * Feature flags evaluated per user (issue 11, `contracts/src/flags.ts` for the rule). Reads may
 * be cached per instance; every change empties the cache on every instance and broadcasts `flags.updated`.
 */
export interface FeatureFlags {
  snapshotFor(user: Pick<UserRow, 'id' | 'role'>): Promise<FlagSnapshot>;
  isOn(user: Pick<UserRow, 'id' | 'role'>, flag: string): Promise<boolean>;
  /** Throws 403 `flag.off` unless `flag` is on for the user (gated routes). */
  require(user: Pick<UserRow, 'id' | 'role'>, flag: string): Promise<void>;
}

/** Until the flag store lands (issue 11, in progress): no flags. Replaced in assemble.ts. */
export const noFlags: FeatureFlags = {
  snapshotFor: async () => ({}),
  isOn: async () => false,
  require: async (_user, flag) => {
    const { AppError } = await import('../errors.js');
    throw new AppError('flag.not_found', 404, `No feature flag ${flag}.`);
  },
};
