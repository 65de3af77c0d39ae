import { z } from 'zod';
import { roleSchema } from './roles.js';

/**
 * Feature flags (issue 11). A flag is on for a user when it is enabled and the user matches its
 * targeting: listed user, or listed role, or inside the percentage (sticky: bucket =
 * first 4 bytes of SHA-256(`<flag>:<userId>`) mod 100, the same scheme as canary buckets).
 * Empty targeting (no users, no roles, percentage 100) means everyone.
 */
export const flagKeySchema = z.string().regex(/^[a-z0-9][a-z0-9_.-]{1,62}$/, 'a-z, 0-9, _ . -; 2–63 characters');

export const flagTargetingSchema = z.object({
  roles: z.array(roleSchema).max(20),
  userIds: z.array(z.uuid()).max(500),
  /** 0–100: share of all other users who get the flag. */
  percentage: z.number().int().min(0).max(100),
});
export type FlagTargeting = z.infer<typeof flagTargetingSchema>;

export const featureFlagSchema = z.object({
  key: flagKeySchema,
  description: z.string(),
  enabled: z.boolean(),
  targeting: flagTargetingSchema,
  /** Whether the flag is on for the caller. */
  onForYou: z.boolean(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
});
export type FeatureFlag = z.infer<typeof featureFlagSchema>;

/** The flags a user sees evaluated: key → on. Carried by `/api/me` and handed to remotes on mount. */
export const flagSnapshotSchema = z.record(z.string(), z.boolean());
export type FlagSnapshot = z.infer<typeof flagSnapshotSchema>;

/**
 * `GET /api/feature-flags`: every signed-in user gets `snapshot` (the flags evaluated for them);
 * only callers with `flags:manage` get the definitions in `flags` (targeting names users), others `[]`.
 */
export const featureFlagListResponseSchema = z.object({
  flags: z.array(featureFlagSchema),
  snapshot: flagSnapshotSchema,
});
export const featureFlagResponseSchema = z.object({ flag: featureFlagSchema });

/** `POST /api/feature-flags/:flag/toggle`: turn on or off, optionally re-target; a reason is always audited. */
export const toggleFeatureFlagRequestSchema = z.object({
  enabled: z.boolean(),
  targeting: flagTargetingSchema.optional(),
  reason: z.string().trim().min(3).max(500),
});
export type ToggleFeatureFlagRequest = z.infer<typeof toggleFeatureFlagRequestSchema>;
