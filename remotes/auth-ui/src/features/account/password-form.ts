import { type ChangePasswordRequest, changePasswordRequestSchema } from '@atrium/contracts';
import { invalidFields } from '@atrium/shared';

export interface PasswordDraft {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export type PasswordCheck = { ok: true; body: ChangePasswordRequest } | { ok: false; invalid: Set<string> };

/** The contract's rules, plus the one only the form knows: both new passwords match. */
export function checkPasswordDraft(draft: PasswordDraft): PasswordCheck {
  const parsed = changePasswordRequestSchema.safeParse(draft);
  const invalid = parsed.success ? new Set<string>() : invalidFields(parsed.error.issues);
  if (draft.confirmPassword !== draft.newPassword) invalid.add('confirmPassword');
  return parsed.success && invalid.size === 0 ? { ok: true, body: parsed.data } : { ok: false, invalid };
}
