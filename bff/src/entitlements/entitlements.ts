import type { Feature, Plan } from '@atrium/contracts';
import type { UserRow } from '../db/schema/index.js';

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
}

/** Until the entitlement store lands (issue 11, in progress): everyone on `free`. Replaced in assemble.ts. */
export const freePlanOnly: Entitlements = {
  of: async () => ({ plan: 'free', features: [] }),
  require: async () => {
    const { AppError } = await import('../errors.js');
    throw new AppError('entitlement.required', 402, 'This needs a paid plan.');
  },
};
