import type { Draft } from '@atrium/contracts';
import { describe, expect, it } from 'vitest';
import { levelStateKey } from './draft-levels.js';
import { stepLabelKey } from './step-label.js';

describe('stepLabelKey', () => {
  it('labels a refusal by its code', () => {
    expect(stepLabelKey({ status: 'refused', code: 'tool.invalid_arguments' })).toBe('refusal.invalidArguments');
    expect(stepLabelKey({ status: 'refused', code: 'tool.forbidden' })).toBe('refusal.notAllowed');
    expect(stepLabelKey({ status: 'refused', code: 'tool.needs_person' })).toBe('refusal.notAllowed');
    expect(stepLabelKey({ status: 'refused', code: 'tool.unknown' })).toBe('refusal.unknownTool');
  });

  it('says only "refused" when the code is missing or new, never "not allowed"', () => {
    expect(stepLabelKey({ status: 'refused' })).toBe('refusal.refused');
    expect(stepLabelKey({ status: 'refused', code: null })).toBe('refusal.refused');
    expect(stepLabelKey({ status: 'refused', code: 'tool.something_new' })).toBe('refusal.refused');
  });

  it('labels other steps by status', () => {
    expect(stepLabelKey({ status: 'done', code: null })).toBe('stepStatus.done');
    expect(stepLabelKey({ status: 'failed' })).toBe('stepStatus.failed');
  });
});

describe('levelStateKey', () => {
  const by = { kind: 'system' } as const;
  const open: Draft['levels'][number] = { roles: ['admin'], decision: null };
  it('an undecided level waits only while the draft is pending', () => {
    expect(levelStateKey('pending', open)).toBe('waiting');
    expect(levelStateKey('withdrawn', open)).toBe('withdrawn');
    expect(levelStateKey('expired', open)).toBe('expired');
    expect(levelStateKey('rejected', open)).toBe('notReached');
    expect(levelStateKey('failed', open)).toBe('notReached');
  });

  it('a decided level shows its decision whatever the draft status', () => {
    const at = '2030-01-01T00:00:00.000Z';
    expect(levelStateKey('rejected', { roles: ['admin'], decision: { approve: false, by, reason: 'no', at } })).toBe(
      'rejected',
    );
    expect(levelStateKey('withdrawn', { roles: ['admin'], decision: { approve: true, by, reason: null, at } })).toBe(
      'approved',
    );
  });
});
