import { createUserRequestSchema } from '@atrium/contracts';
import { ApiRequestError } from '@atrium/shared';
import { expect, test } from 'vitest';
import { invalidFields, rejectedFields } from './invalid-fields.js';

test('reads the field from zod issues and from the BFF dotted paths alike', () => {
  const parsed = createUserRequestSchema.safeParse({
    email: 'nope',
    displayName: 'A',
    role: 'user',
    password: 'short',
  });
  expect(invalidFields(parsed.error!.issues)).toEqual(new Set(['email', 'password']));
  expect(invalidFields([{ path: 'profile.name' }])).toEqual(new Set(['profile']));
});

test('only request.invalid with issues names fields', () => {
  const invalid = new ApiRequestError(400, 'request.invalid', 'bad', [{ path: 'email', message: 'x' }]);
  expect(rejectedFields(invalid)).toEqual(new Set(['email']));
  expect(rejectedFields(new ApiRequestError(409, 'user.email_taken', 'taken'))).toBeNull();
});
