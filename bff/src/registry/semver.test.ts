import { describe, expect, it } from 'vitest';
import { compareSemver } from './semver.js';

describe('compareSemver', () => {
  it('orders by major, minor, patch numerically, a pre-release before its release', () => {
    const sorted = ['1.10.0', '1.2.0', '1.2.0-rc.1', '0.9.9', '2.0.0', '1.2.1'].sort(compareSemver);
    expect(sorted).toEqual(['0.9.9', '1.2.0-rc.1', '1.2.0', '1.2.1', '1.10.0', '2.0.0']);
    expect(compareSemver('1.0.0', '1.0.0')).toBe(0);
  });
});
