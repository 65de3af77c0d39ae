import { z } from 'zod';
import { emailSchema, newPasswordSchema, userViewSchema } from './auth.js';
import { roleSchema } from './roles.js';
import { singleLineNameSchema } from './text.js';

export const displayNameSchema = singleLineNameSchema(100);

/** A user as an administrator sees it in the users & roles screen. */
export const managedUserSchema = userViewSchema.extend({
  createdAt: z.string(),
  updatedAt: z.string(),
  /** ISO 8601: until when sign-in is locked after too many failed attempts; null when it is not. */
  signInLockedUntil: z.string().nullable(),
  /** ISO 8601: when an admin disabled the account (sign-in refused, sessions ended); null when enabled. */
  disabledAt: z.string().nullable(),
  /** The user must choose a new password at next sign-in (after an admin reset). */
  mustChangePassword: z.boolean(),
  /** Monthly budget in USD; null = the default (ATRIUM_DEFAULT_MONTHLY_BUDGET_USD, unlimited when unset). */
  monthlyBudgetUsd: z.number().nullable(),
});
export type ManagedUser = z.infer<typeof managedUserSchema>;

export const userListResponseSchema = z.object({ users: z.array(managedUserSchema) });
export type UserListResponse = z.infer<typeof userListResponseSchema>;

export const createUserRequestSchema = z.object({
  email: emailSchema,
  displayName: displayNameSchema,
  role: roleSchema,
  password: newPasswordSchema,
});
export type CreateUserRequest = z.infer<typeof createUserRequestSchema>;

/** Changing a role ends that user's sessions: they sign in again under the new permissions. */
export const updateUserRequestSchema = z
  .object({ role: roleSchema.optional(), displayName: displayNameSchema.optional() })
  .refine((body) => body.role !== undefined || body.displayName !== undefined, 'nothing to change');
export type UpdateUserRequest = z.infer<typeof updateUserRequestSchema>;

export const userResponseSchema = z.object({ user: managedUserSchema });
export type UserResponse = z.infer<typeof userResponseSchema>;

export const userIdParamSchema = z.object({ id: z.uuid() });

/** Every user-administration action that changes access carries a reason, audited. */
export const userAdminReasonSchema = z.object({ reason: z.string().trim().min(3).max(500) });

/**
 * `POST /api/users/:id/reset-password`: sets a random temporary password, shown once in this
 * response and never stored in clear; ends the user's sessions; they must change it on sign-in.
 */
export const resetPasswordResponseSchema = z.object({ temporaryPassword: z.string() });

/**
 * `DELETE /api/users/:id` with `{ reason }`: the account, its sessions, tokens, chats, drafts,
 * requested tickets and private documents are deleted; documents it shared with an audience stay,
 * reassigned to the admin who deleted the account (`sharedDocumentsKept`); audit entries stay
 * with a null actor. An admin cannot delete, disable or demote themselves (409
 * `user.self_action`), nor the last enabled admin (409 `user.last_admin`).
 * docs/user-administration.md says exactly what happens.
 */
export const deleteUserResponseSchema = z.object({
  deleted: z.object({ chats: z.number().int(), documents: z.number().int(), sharedDocumentsKept: z.number().int() }),
});
