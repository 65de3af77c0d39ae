import { describe, expect, it } from 'vitest';
import { canaryBucket, inCanary } from './canary-bucket.js';

describe('canaryBucket', () => {
  it('is a pure function of user and remote, in 0..99', () => {
    const user = '6f1c2b1e-2d7a-4c1e-9a51-0c7f4a3e9b10';
    expect(canaryBucket(user, 'chat-core')).toBe(canaryBucket(user, 'chat-core'));
    // Pinned: a change here would move users between versions on deploy.
    expect(canaryBucket(user, 'chat-core')).toMatchInlineSnapshot(`71`);
    for (let i = 0; i < 200; i++) {
      const bucket = canaryBucket(`user-${i}`, 'admin');
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(100);
    }
  });

  it('puts roughly the asked share of users in the canary, none at 0% and all at 100%', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `user-${i}`);
    const share = ids.filter((id) => inCanary(id, 'chat-core', 10)).length / ids.length;
    expect(share).toBeGreaterThan(0.07);
    expect(share).toBeLessThan(0.13);
    expect(ids.some((id) => inCanary(id, 'chat-core', 0))).toBe(false);
    expect(ids.every((id) => inCanary(id, 'chat-core', 100))).toBe(true);
  });
});
