import { describe, expect, it } from 'vitest';
import { apiErrorSchema } from './errors.js';
import { serverEventSchema } from './events.js';
import { errorCodes, serverEventTypes, trustedResponse } from './values.js';

describe('contract values', () => {
  it('serverEventTypes lists exactly the types serverEventSchema defines', () => {
    const defined = serverEventSchema.options.map((option) => option.shape.type.value);
    expect([...serverEventTypes].sort()).toEqual([...defined].sort());
  });

  it('apiErrorSchema takes its codes from errorCodes', () => {
    expect(apiErrorSchema.shape.code.options).toEqual([...errorCodes]);
  });

  it('trustedResponse returns the body itself, from parse and from safeParse', () => {
    const body = { a: 1 };
    const reader = trustedResponse<typeof body>();
    expect(reader.parse(body)).toBe(body);
    expect(reader.safeParse(body)).toEqual({ success: true, data: body });
  });
});
