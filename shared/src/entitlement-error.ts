import { entitlementRequiredErrorSchema, type Feature } from '@atrium/contracts';
import { ApiRequestError } from './api-client.js';

/**
 * The paid feature a refused request needed (402 `entitlement.required`, whose body names it),
 * or null for any other error: a remote shows "needs a paid plan" instead of a generic failure.
 */
export function requiredFeature(error: unknown): Feature | null {
  if (!(error instanceof ApiRequestError) || error.status !== 402) return null;
  const parsed = entitlementRequiredErrorSchema.safeParse(error.body);
  return parsed.success ? parsed.data.feature : null;
}
