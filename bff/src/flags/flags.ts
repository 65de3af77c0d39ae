import type { FeatureFlag, FlagSnapshot, ToggleFeatureFlagRequest } from '@atrium/contracts';
import type { UserRow } from '../db/schema/index.js';

export type FlagUser = Pick<UserRow, 'id' | 'role'>;

/** Who changes a flag (`flags:manage`), for the audit log. */
export interface FlagActor {
  userId: string;
  requestId: string | null;
}

/**
 * Feature flags evaluated per user (issue 11, `contracts/src/flags.ts` for the rule). Reads may
 * be cached per instance; every change empties the cache on every instance and broadcasts `flags.updated`.
 */
export interface FeatureFlags {
  snapshotFor(user: FlagUser): Promise<FlagSnapshot>;
  /** False for an unknown flag, as for one that is off. */
  isOn(user: FlagUser, flag: string): Promise<boolean>;
  /** Throws 403 `flag.off` unless `flag` is on for the user (gated routes). */
  require(user: FlagUser, flag: string): Promise<void>;
  /** Every flag's definition, by key, with `onForYou` evaluated for `viewer`. */
  list(viewer: FlagUser): Promise<FeatureFlag[]>;
  /**
   * Turns a flag on or off and optionally re-targets it, audited `flag.toggled` (reason, before,
   * after) with `flags.updated` broadcast in the same transaction. Errors: 404 `flag.not_found`,
   * 400 `request.invalid` (targeting names a user who does not exist).
   */
  toggle(actor: FlagActor, viewer: FlagUser, flag: string, request: ToggleFeatureFlagRequest): Promise<FeatureFlag>;
}
