import type { Feature, Plan } from '@atrium/contracts';
import type { UserRow } from '../db/schema/index.js';
import { AppError } from '../errors.js';

/** What a user may use: their plan and effective paid features (plan ∪ grants − revokes). */
export interface EffectiveEntitlements {
  plan: Plan;
  features: Feature[];
}

/**
 * Paid features per user (issue 11). Reads may be cached per instance; every change empties
 * the cache on every instance (through the bus) and pushes `entitlement.updated` to the user.
 */
export interface Entitlements {
  of(user: Pick<UserRow, 'id'>): Promise<EffectiveEntitlements>;
  /** Throws 402 `entitlement.required` (with `feature` in the body) unless the user has `feature`. */
  require(user: Pick<UserRow, 'id'>, feature: Feature): Promise<void>;
  /**
   * After a change to `userId`'s entitlements committed (null: anyone's): drops this instance's
   * cached entry at once and tells every other instance through the bus (`cache-invalidate` on `control`).
   */
  changed(userId: string | null): Promise<void>;
}

/** The 402 a gated route answers; the body carries `feature` so the client can say what is missing. */
export function entitlementRequired(feature: Feature): AppError {
  return new AppError(
    'entitlement.required',
    402,
    `This needs a plan that includes ${feature}.`,
    undefined,
    undefined,
    {
      feature,
    },
  );
}

/** Everyone on `free` (tests of routes that do not care about plans). */
export const freePlanOnly: Entitlements = {
  of: async () => ({ plan: 'free', features: [] }),
  require: async (_user, feature) => {
    throw entitlementRequired(feature);
  },
  changed: async () => undefined,
};
