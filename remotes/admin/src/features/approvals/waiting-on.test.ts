import type { Draft } from '@atrium/contracts';
import { describe, expect, it } from 'vitest';
import { ageOf, waitingOn } from './waiting-on.js';

const approver = { kind: 'user', id: 'u1', displayName: 'Ann', email: 'ann@example.com' } as const;
const draft = (patch: Partial<Draft> = {}): Draft => ({
  id: '00000000-0000-4000-8000-000000000001',
  tool: 'issue_refund',
  risk: 'high',
  summary: 'Refund 12.00 EUR.',
  arguments: {},
  status: 'pending',
  requester: { kind: 'system' },
  chatId: null,
  answerId: null,
  levels: [
    { roles: ['approver', 'admin'], decision: null },
    { roles: ['admin'], decision: null },
  ],
  createdAt: '2030-01-01T09:00:00.000Z',
  expiresAt: '2030-01-02T09:00:00.000Z',
  updatedAt: '2030-01-01T09:00:00.000Z',
  outcome: null,
  ...patch,
});

describe('waitingOn', () => {
  it('names the first level without a decision, and nothing once the draft no longer waits', () => {
    expect(waitingOn(draft())).toEqual({ level: 1, of: 2, roles: ['approver', 'admin'] });
    const firstGiven = draft({
      levels: [
        {
          roles: ['approver', 'admin'],
          decision: { by: approver, approve: true, reason: null, at: '2030-01-01T10:00:00.000Z' },
        },
        { roles: ['admin'], decision: null },
      ],
    });
    expect(waitingOn(firstGiven)).toEqual({ level: 2, of: 2, roles: ['admin'] });
    expect(waitingOn(draft({ status: 'executing' }))).toBeNull();
    expect(waitingOn(draft({ status: 'rejected' }))).toBeNull();
  });
});

describe('ageOf', () => {
  it('gives the largest whole unit, in the past', () => {
    const created = Date.parse('2030-01-01T09:00:00.000Z');
    expect(ageOf('2030-01-01T09:00:00.000Z', created + 5 * 60_000)).toEqual({ value: -5, unit: 'minute' });
    expect(ageOf('2030-01-01T09:00:00.000Z', created + 3 * 3_600_000)).toEqual({ value: -3, unit: 'hour' });
    expect(ageOf('2030-01-01T09:00:00.000Z', created + 50 * 3_600_000)).toEqual({ value: -2, unit: 'day' });
  });
});
