import type { FlagTargeting } from '@atrium/contracts';
import { describe, expect, it } from 'vitest';
import { isOnFor, snapshotOf } from './evaluate.js';

const everyone: FlagTargeting = { roles: [], userIds: [], percentage: 100 };
const nobody: FlagTargeting = { roles: [], userIds: [], percentage: 0 };
const ada = { id: '6f1c2b1e-2d7a-4c1e-9a51-0c7f4a3e9b10', role: 'user' as const };
const ids = Array.from({ length: 4000 }, (_, i) => `00000000-0000-4000-8000-${i.toString().padStart(12, '0')}`);
const flag = (targeting: FlagTargeting, enabled = true, key = 'uploads') => ({ key, enabled, targeting });

describe('isOnFor', () => {
  it('is on for everyone with empty targeting at 100%, and off for everyone when disabled', () => {
    expect(ids.every((id) => isOnFor(flag(everyone), { id, role: 'user' }))).toBe(true);
    expect(ids.some((id) => isOnFor(flag(everyone, false), { id, role: 'admin' }))).toBe(false);
  });

  it('is off for everyone at 0% unless listed by id or role', () => {
    expect(ids.some((id) => isOnFor(flag(nobody), { id, role: 'user' }))).toBe(false);
    expect(isOnFor(flag({ ...nobody, userIds: [ada.id] }), ada)).toBe(true);
    expect(isOnFor(flag({ ...nobody, roles: ['ops', 'user'] }), ada)).toBe(true);
    expect(isOnFor(flag({ ...nobody, roles: ['ops'] }), ada)).toBe(false);
  });

  it('never lets targeting override a disabled flag', () => {
    expect(isOnFor(flag({ roles: ['user'], userIds: [ada.id], percentage: 100 }, false), ada)).toBe(false);
  });

  it('puts roughly the asked share of users in, each user sticky as the share grows', () => {
    for (const percentage of [10, 50, 90]) {
      const share =
        ids.filter((id) => isOnFor(flag({ ...nobody, percentage }), { id, role: 'user' })).length / ids.length;
      expect(share).toBeGreaterThan(percentage / 100 - 0.04);
      expect(share).toBeLessThan(percentage / 100 + 0.04);
    }
    // Whoever has the flag at 20% keeps it at 30%: growing a rollout never takes it away.
    const at20 = ids.filter((id) => isOnFor(flag({ ...nobody, percentage: 20 }), { id, role: 'user' }));
    expect(at20.every((id) => isOnFor(flag({ ...nobody, percentage: 30 }), { id, role: 'user' }))).toBe(true);
    // The same answer on every call, and regardless of role (the bucket hangs on the id only).
    expect(isOnFor(flag({ ...nobody, percentage: 50 }), ada)).toBe(isOnFor(flag({ ...nobody, percentage: 50 }), ada));
    expect(isOnFor(flag({ ...nobody, percentage: 50 }), { ...ada, role: 'ops' })).toBe(
      isOnFor(flag({ ...nobody, percentage: 50 }), ada),
    );
  });

  it('buckets per flag, so the same 10% of users are not in every rollout', () => {
    const inA = new Set(
      ids.filter((id) => isOnFor(flag({ ...nobody, percentage: 10 }, true, 'a'), { id, role: 'user' })),
    );
    const inB = ids.filter((id) => isOnFor(flag({ ...nobody, percentage: 10 }, true, 'b'), { id, role: 'user' }));
    const overlap = inB.filter((id) => inA.has(id)).length / inB.length;
    expect(overlap).toBeLessThan(0.3);
  });
});

describe('snapshotOf', () => {
  it('maps each flag key to whether it is on for the user', () => {
    expect(snapshotOf([flag(everyone), flag(everyone, false, 'mcp.server')], ada)).toEqual({
      uploads: true,
      'mcp.server': false,
    });
  });
});
