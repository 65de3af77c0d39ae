import { describe, expect, it } from 'vitest';
import { ApiRequestError } from './api-client.js';
import { requiredFeature } from './entitlement-error.js';

describe('requiredFeature', () => {
  it('names the feature of a 402 entitlement.required', () => {
    const body = { code: 'entitlement.required', message: 'Needs a plan.', feature: 'multi_agent' };
    expect(requiredFeature(new ApiRequestError(402, 'entitlement.required', body.message, undefined, null, body))).toBe(
      'multi_agent',
    );
  });

  it('is null for other errors, other statuses and bodies without a known feature', () => {
    const odd = { code: 'entitlement.required', message: 'x', feature: 'time_travel' };
    expect(requiredFeature(new ApiRequestError(402, 'entitlement.required', 'x', undefined, null, odd))).toBeNull();
    expect(requiredFeature(new ApiRequestError(403, 'auth.forbidden', 'x', undefined, null, {}))).toBeNull();
    expect(requiredFeature(new Error('boom'))).toBeNull();
    expect(requiredFeature(undefined)).toBeNull();
  });
});
