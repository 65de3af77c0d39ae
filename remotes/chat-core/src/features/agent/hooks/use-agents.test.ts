import { describe, expect, it } from 'vitest';
import { agentLabel } from './use-agents.js';

const t = (key: string) => `t:${key}`;

describe('agentLabel', () => {
  it('translates a built-in while it keeps its shipped name', () => {
    expect(agentLabel({ id: 'billing', name: 'Billing', builtIn: true }, t)).toBe('t:agents.builtIn_billing');
  });

  it("shows an admin's own name for a renamed built-in and for custom agents", () => {
    expect(agentLabel({ id: 'billing', name: 'Invoices desk', builtIn: true }, t)).toBe('Invoices desk');
    expect(agentLabel({ id: 'refunds', name: 'Billing', builtIn: false }, t)).toBe('Billing');
  });
});
