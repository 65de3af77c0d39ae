import { type Feature, planFeatures } from '@atrium/contracts';
import type { Entitlements } from '../entitlements/entitlements.js';
import { AppError } from '../errors.js';

/**
 * An entitlement store a test drives: users on `pro` (every paid feature) are those in `pro`;
 * everyone else is on `free`. Stands in for the real store (another part of issue 11), through
 * the same interface, so a test can grant or revoke between two requests.
 */
export function fakeEntitlements(): Entitlements & { pro: Set<string> } {
  const pro = new Set<string>();
  const featuresOf = (userId: string): Feature[] => [...planFeatures[pro.has(userId) ? 'pro' : 'free']];
  return {
    pro,
    of: async (user) => ({ plan: pro.has(user.id) ? 'pro' : 'free', features: featuresOf(user.id) }),
    require: async (user, feature) => {
      if (featuresOf(user.id).includes(feature)) return;
      throw new AppError('entitlement.required', 402, 'This needs a paid plan.', undefined, undefined, { feature });
    },
    changed: async () => undefined,
  };
}
