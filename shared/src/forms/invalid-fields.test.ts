import { signInRequestSchema } from '@atrium/contracts';
import { ApiRequestError } from '@atrium/shared';
import { describe, expect, test } from 'vitest';
import { invalidFields, rejectedFields } from './invalid-fields.js';

describe('invalidFields', () => {
  test('reads the field from zod issues and from the BFF dotted paths alike', () => {
    const parsed = signInRequestSchema.safeParse({ email: 'nope', password: '' });
    expect(parsed.success).toBe(false);
    expect(invalidFields(parsed.error!.issues)).toEqual(new Set(['email', 'password']));
    expect(invalidFields([{ path: 'profile.name' }])).toEqual(new Set(['profile']));
  });
});

describe('rejectedFields', () => {
  test('only request.invalid with issues names fields', () => {
    const invalid = new ApiRequestError(400, 'request.invalid', 'bad', [{ path: 'email', message: 'x' }]);
    expect(rejectedFields(invalid)).toEqual(new Set(['email']));
    expect(rejectedFields(new ApiRequestError(401, 'auth.invalid_credentials', 'no'))).toBeNull();
    expect(rejectedFields(new Error('boom'))).toBeNull();
  });
});
