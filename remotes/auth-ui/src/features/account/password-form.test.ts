import { expect, test } from 'vitest';
import { checkPasswordDraft } from './password-form.js';

const strong = 'correct horse battery';

test('accepts a long new password typed twice, and sends only what the contract asks', () => {
  expect(checkPasswordDraft({ currentPassword: 'old', newPassword: strong, confirmPassword: strong })).toEqual({
    ok: true,
    body: { currentPassword: 'old', newPassword: strong },
  });
});

test('names each field that is wrong', () => {
  const result = checkPasswordDraft({ currentPassword: '', newPassword: 'short', confirmPassword: 'other' });
  expect(result).toEqual({ ok: false, invalid: new Set(['currentPassword', 'newPassword', 'confirmPassword']) });
});
