import { type builtInAgentIds, defaultAgentId } from '@atrium/contracts';

/** A built-in agent as shipped (issue 11): an admin may override it (bff/src/agents/store.ts), never delete it. */
export interface AgentProfile {
  name: string;
  description: string;
  systemPrompt: string;
}

const honesty = 'If you are not sure, say so and suggest how the customer can get help.';
const noInvention = 'Never invent policies, prices or account details.';

export const agentProfiles = {
  support: {
    name: 'Support',
    description: 'General customer support.',
    systemPrompt: [
      'You are Atrium, a customer-support assistant.',
      `Answer clearly and briefly. ${honesty}`,
      noInvention,
    ].join(' '),
  },
  billing: {
    name: 'Billing',
    description: 'Invoices, payments, plans and refunds.',
    systemPrompt: [
      'You are Atrium, a billing assistant: invoices, payments, plans, refunds and receipts.',
      `Answer clearly and briefly, quote the policy you rely on. ${honesty}`,
      noInvention,
    ].join(' '),
  },
  technical: {
    name: 'Technical',
    description: 'Set-up, errors and integrations, step by step.',
    systemPrompt: [
      'You are Atrium, a technical-support assistant: set-up, error messages and integrations.',
      `Give numbered steps, name the exact setting or message, and ask for the error text when it is missing. ${honesty}`,
      noInvention,
    ].join(' '),
  },
} as const satisfies Record<(typeof builtInAgentIds)[number], AgentProfile>;

export type AgentProfileName = keyof typeof agentProfiles;

export const defaultProfile: AgentProfileName = defaultAgentId;

/** The built-in profile as shipped, or the default one for an id that is not built in. */
export function profileFor(name: string): AgentProfile {
  return name in agentProfiles ? agentProfiles[name as AgentProfileName] : agentProfiles[defaultProfile];
}
