import { describe, expect, it } from 'vitest';
import { argumentsForDisplay, escapeBidiControls } from './bidi.js';

describe('escapeBidiControls', () => {
  it('escapes every bidi control as \\uXXXX, upper-case hex, as the BFF does', () => {
    const all = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C';
    expect(escapeBidiControls(all)).toBe(
      '\\u202A\\u202B\\u202C\\u202D\\u202E\\u2066\\u2067\\u2068\\u2069\\u200E\\u200F\\u061C',
    );
  });

  it('keeps other text, right-to-left letters and the zero-width joiners untouched', () => {
    const text = 'Refund 12.00 EUR to عميل, שלום, 退款 \u200D\u200B';
    expect(escapeBidiControls(text)).toBe(text);
  });

  it('makes a reversed subject readable and is idempotent', () => {
    const once = escapeBidiControls('invoice\u202Efdp.exe');
    expect(once).toBe('invoice\\u202Efdp.exe');
    expect(escapeBidiControls(once)).toBe(once);
  });
});

describe('argumentsForDisplay', () => {
  it('shows arguments as indented JSON with controls escaped in keys and values', () => {
    const shown = argumentsForDisplay({ subject: 'pay \u202Eered', '\u2066k': ['\u061C'] });
    expect(shown).toBe('{\n  "subject": "pay \\u202Eered",\n  "\\u2066k": [\n    "\\u061C"\n  ]\n}');
    expect(shown).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/);
  });

  it('shows a raw string (arguments that were not JSON) and undefined', () => {
    expect(argumentsForDisplay('{"a":\u202E')).toBe('"{\\"a\\":\\u202E"');
    expect(argumentsForDisplay(undefined)).toBe('');
  });
});
