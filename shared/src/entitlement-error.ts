import type { Feature } from '@atrium/contracts';
import { features } from '@atrium/contracts/values';
import { ApiRequestError } from './api-client.js';

/**
 * The paid feature a refused request needed (402 `entitlement.required`, whose body names it),
 * or null for any other error: a remote shows "needs a paid plan" instead of a generic failure.
 */
export function requiredFeature(error: unknown): Feature | null {
  if (!(error instanceof ApiRequestError) || error.status !== 402) return null;
  // The body's shape is `entitlementRequiredErrorSchema` (@atrium/contracts); only `feature` is read.
  const body = error.body as { code?: unknown; message?: unknown; feature?: unknown } | null | undefined;
  if (typeof body !== 'object' || body === null || body.code !== 'entitlement.required') return null;
  if (typeof body.message !== 'string') return null;
  return (features as readonly unknown[]).includes(body.feature) ? (body.feature as Feature) : null;
}
