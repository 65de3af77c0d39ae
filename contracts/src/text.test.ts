import { describe, expect, it } from 'vitest';
import { singleLineNameSchema } from './text.js';

describe('singleLineNameSchema', () => {
  const name = singleLineNameSchema(20);

  it('keeps ordinary names in any script, trimmed', () => {
    for (const text of ['Billing', '  Ana María  ', '客服助手', 'שלום', 'O’Brien & co.']) {
      expect(name.safeParse(text).success).toBe(true);
    }
    expect(name.parse('  Ana  ')).toBe('Ana');
  });

  it('refuses line breaks, control characters and bidirectional overrides', () => {
    for (const text of [
      'two\nlines',
      'tab\there',
      'bell\u0007',
      'c1\u0085',
      '\u202Eevil',
      'iso\u2066late',
      'del\u007f',
    ]) {
      expect(name.safeParse(text).success, JSON.stringify(text)).toBe(false);
    }
  });

  it('refuses names with nothing visible, and more than the maximum', () => {
    for (const text of ['', '   ', '\u200B\u200B\u200B', '\u200D\uFEFF', 'x'.repeat(21)]) {
      expect(name.safeParse(text).success, JSON.stringify(text)).toBe(false);
    }
  });
});
