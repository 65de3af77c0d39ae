import { describe, expect, it } from 'vitest';
import { planChangedAt, reasonPreview, reasonPreviewChars } from './plan-view.js';

const at = '2026-11-30T10:00:00.000Z';
const override = { feature: 'multi_agent', effect: 'grant', reason: 'trial', actorId: 'admin-1', at } as const;

describe('planChangedAt', () => {
  it('has no change time for a plan nobody ever set', () => {
    expect(planChangedAt({ planSource: 'default', overrides: [], updatedAt: at })).toBeNull();
  });

  it('keeps the time of a plan set by an admin or the billing provider', () => {
    expect(planChangedAt({ planSource: 'admin', overrides: [], updatedAt: at })).toBe(at);
    expect(planChangedAt({ planSource: 'billing', overrides: [], updatedAt: at })).toBe(at);
  });

  it('keeps the time of an override on a default plan', () => {
    expect(planChangedAt({ planSource: 'default', overrides: [override], updatedAt: at })).toBe(at);
  });
});

describe('reasonPreview', () => {
  it('leaves a short reason whole', () => {
    expect(reasonPreview('Customer asked for a trial')).toBeNull();
    expect(reasonPreview('x'.repeat(reasonPreviewChars))).toBeNull();
  });

  it('cuts a long reason with an ellipsis', () => {
    const preview = reasonPreview(`${'word '.repeat(100)}end`);
    expect(preview?.endsWith('…')).toBe(true);
    expect(Array.from(preview ?? '').length).toBeLessThanOrEqual(reasonPreviewChars + 1);
  });

  it('does not split a character made of two code units', () => {
    const preview = reasonPreview('😀'.repeat(reasonPreviewChars + 5));
    expect(preview).toBe(`${'😀'.repeat(reasonPreviewChars)}…`);
  });
});
