import type { UserEntitlements } from '@atrium/contracts';

/** The longest reason `PUT /api/users/:id/entitlements` accepts (contracts/src/entitlements.ts). */
export const planReasonMaxChars = 500;

/** Reasons longer than this show clamped in the table, with the full text one click away. */
export const reasonPreviewChars = 80;

/**
 * When someone last changed this user's plan or overrides (ISO 8601), or null when nobody ever
 * did: the BFF reports the time it read a never-set default plan as `updatedAt`, which is not a change.
 */
export function planChangedAt(e: Pick<UserEntitlements, 'planSource' | 'overrides' | 'updatedAt'>): string | null {
  return e.planSource === 'default' && e.overrides.length === 0 ? null : e.updatedAt;
}

/** A reason cut to `reasonPreviewChars` (at a code point boundary, with "…"), or null when it fits whole. */
export function reasonPreview(reason: string): string | null {
  const chars = Array.from(reason);
  return chars.length <= reasonPreviewChars ? null : `${chars.slice(0, reasonPreviewChars).join('').trimEnd()}…`;
}
