export interface AgentProfile {
  name: string;
  systemPrompt: string;
}

export const agentProfiles = {
  support: {
    name: 'support',
    systemPrompt: [
      'You are Atrium, a customer-support assistant.',
      'Answer clearly and briefly. If you are not sure, say so and suggest how the customer can get help.',
      'Never invent policies, prices or account details.',
    ].join(' '),
  },
} as const satisfies Record<string, AgentProfile>;

export type AgentProfileName = keyof typeof agentProfiles;

export const defaultProfile: AgentProfileName = 'support';

export function profileFor(name: string): AgentProfile {
  return name in agentProfiles ? agentProfiles[name as AgentProfileName] : agentProfiles[defaultProfile];
}
