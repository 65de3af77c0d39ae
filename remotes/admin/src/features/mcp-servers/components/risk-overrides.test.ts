import { describe, expect, it } from 'vitest';
import { formatRiskOverrides, parseRiskOverrides } from './risk-overrides.js';

describe('risk overrides as text', () => {
  it('reads one tool = risk per line, skipping blank lines, and writes it back sorted', () => {
    const parsed = parseRiskOverrides('update_customer = high\n\n  lookup_customer: read  \n');
    expect(parsed).toEqual({ update_customer: 'high', lookup_customer: 'read' });
    expect(formatRiskOverrides(parsed!)).toBe('lookup_customer = read\nupdate_customer = high');
    expect(parseRiskOverrides('')).toEqual({});
  });

  it.each(['lookup_customer', '= read', 'lookup_customer = extreme', 'a = read = low'])('refuses %j', (text) => {
    expect(parseRiskOverrides(text)).toBeNull();
  });
});
