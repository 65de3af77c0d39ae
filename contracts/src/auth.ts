import { z } from 'zod';
import { featureSchema, planSchema } from './entitlements.js';
import { flagSnapshotSchema } from './flags.js';
import { roleSchema } from './roles.js';

export const emailSchema = z.string().trim().toLowerCase().email().max(254);
/** Length is what makes a password strong; composition rules only annoy. */
export const newPasswordSchema = z.string().min(12, 'at least 12 characters').max(256);

export const signInRequestSchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(256),
});
export type SignInRequest = z.infer<typeof signInRequestSchema>;

export const userViewSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: roleSchema,
});
export type UserView = z.infer<typeof userViewSchema>;

/** What the shell knows about the caller: who they are and the token for state-changing requests. */
export const meResponseSchema = z.object({
  user: userViewSchema,
  csrfToken: z.string(),
  sessionExpiresAt: z.string(),
  /** The caller's plan and effective paid features (issue 11); refetched on `entitlement.updated`. */
  plan: planSchema,
  entitlements: z.array(featureSchema),
  /** Feature flags evaluated for the caller; refetched on `flags.updated`. */
  flags: flagSnapshotSchema,
  /** Set after an admin reset the password to a temporary one: every route but the password change answers 403 `auth.password_change_required`. */
  mustChangePassword: z.boolean(),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

export const csrfResponseSchema = z.object({ csrfToken: z.string() });
export type CsrfResponse = z.infer<typeof csrfResponseSchema>;

export const changePasswordRequestSchema = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: newPasswordSchema,
});
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;

export const sessionViewSchema = z.object({
  id: z.string(),
  current: z.boolean(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
});
export type SessionView = z.infer<typeof sessionViewSchema>;
export const sessionListResponseSchema = z.object({ sessions: z.array(sessionViewSchema) });

export const okResponseSchema = z.object({ ok: z.literal(true) });
export type OkResponse = z.infer<typeof okResponseSchema>;

export const sessionIdParamSchema = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/, 'a session id') });
