import { describe, expect, it } from 'vitest';
import { nextRowTarget, restoreFocus } from './restore-focus.js';

function element(name: string, state: { isConnected?: boolean; disabled?: boolean } = {}) {
  const focused: string[] = [];
  return {
    name,
    isConnected: state.isConnected ?? true,
    disabled: state.disabled ?? false,
    focused,
    focus() {
      focused.push(name);
    },
  };
}

describe('restoreFocus', () => {
  it('returns focus to the opener after Esc or Cancel', () => {
    const opener = element('approve');
    const fallback = element('next');
    expect(restoreFocus(opener, () => fallback)).toBe(opener);
    expect(opener.focused).toEqual(['approve']);
    expect(fallback.focused).toEqual([]);
  });

  it('goes to the fallback when the opener left the document or is disabled', () => {
    const next = element('next');
    expect(restoreFocus(element('approve', { isConnected: false }), () => next)).toBe(next);
    expect(restoreFocus(element('approve', { disabled: true }), () => next)).toBe(next);
    expect(restoreFocus(null, () => next)).toBe(next);
    expect(next.focused).toEqual(['next', 'next', 'next']);
  });

  it('focuses nothing when neither is usable', () => {
    const gone = element('gone', { isConnected: false });
    expect(restoreFocus(element('approve', { isConnected: false }), () => gone)).toBeNull();
    expect(restoreFocus(element('approve', { isConnected: false }))).toBeNull();
    expect(gone.focused).toEqual([]);
  });
});

describe('nextRowTarget', () => {
  const before = ['a', 'b', 'c', 'd'];
  it('the decided row stayed without buttons: the next row with a button', () => {
    const rows = [
      { id: 'a', control: 'a1' },
      { id: 'b', control: null },
      { id: 'c', control: null },
      { id: 'd', control: 'd1' },
    ];
    expect(nextRowTarget(rows, 'b', before)).toBe('d1');
  });

  it('the decided row went away: the row that took its place', () => {
    const rows = [
      { id: 'a', control: 'a1' },
      { id: 'c', control: 'c1' },
      { id: 'd', control: 'd1' },
    ];
    expect(nextRowTarget(rows, 'b', before)).toBe('c1');
    // A new draft arrived first meanwhile: still the row after the decided one.
    expect(nextRowTarget([{ id: 'new', control: 'n1' }, ...rows], 'b', before)).toBe('c1');
  });

  it('no later row has a button: null (focus the table)', () => {
    expect(nextRowTarget([{ id: 'a', control: 'a1' }], 'd', before)).toBeNull();
    expect(nextRowTarget([], 'b', before)).toBeNull();
    expect(
      nextRowTarget(
        [
          { id: 'a', control: 'a1' },
          { id: 'b', control: null },
        ],
        'b',
        before,
      ),
    ).toBeNull();
  });
});
