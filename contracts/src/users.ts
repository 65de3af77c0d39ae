import { z } from 'zod';
import { emailSchema, newPasswordSchema, userViewSchema } from './auth.js';
import { roleSchema } from './roles.js';

export const displayNameSchema = z.string().trim().min(1).max(100);

/** A user as an administrator sees it in the users & roles screen. */
export const managedUserSchema = userViewSchema.extend({
  createdAt: z.string(),
  updatedAt: z.string(),
  /** ISO 8601: until when sign-in is locked after too many failed attempts; null when it is not. */
  signInLockedUntil: z.string().nullable(),
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
