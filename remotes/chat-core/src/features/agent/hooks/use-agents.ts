import type { Agent, ApiClient } from '@atrium/contracts';
import { useEffect, useState } from 'react';
import { type AgentList, listAgents } from '../api.js';

/**
 * The agents (`GET /api/agents`), re-read whenever `entitlementsKey` changes: the shell refetches
 * `/api/me` on `entitlement.updated` and re-renders with the new session, so a plan granted or
 * revoked in another tab shows here at once. Null while loading or when the list failed to load
 * (the picker is then not shown; answers still use the chat's agent).
 */
export function useAgents(api: ApiClient, entitlementsKey: string): AgentList | null {
  const [list, setList] = useState<AgentList | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `entitlementsKey` is the re-read trigger
  useEffect(() => {
    let cancelled = false;
    listAgents(api).then(
      (next) => !cancelled && setList(next),
      () => !cancelled && setList(null),
    );
    return () => {
      cancelled = true;
    };
  }, [api, entitlementsKey]);
  return list;
}

/** Shipped English names of the built-ins: shown translated unless an admin renamed them. */
const shippedNames: Record<string, string> = { support: 'Support', billing: 'Billing', technical: 'Technical' };

/** The name to show: a built-in under its translated name while it keeps the shipped one. */
export function agentLabel(agent: Pick<Agent, 'id' | 'name' | 'builtIn'>, t: (key: string) => string): string {
  return agent.builtIn && shippedNames[agent.id] === agent.name ? t(`agents.builtIn_${agent.id}`) : agent.name;
}
