import { defaultAgentId } from '@atrium/contracts/values';

/**
 * Whether the open chat is locked to an agent its owner may no longer use: a chat answered by
 * any agent but the default while the session lacks `multi_agent` (revoked after the chat was
 * made). The BFF then answers every message with 402 `entitlement.required`, but still lets the
 * chat switch back to the default agent (bff/src/chats/service.ts `changeChat`), which is the way
 * out the notice offers. False while the chat's agent or the session is unknown.
 */
export function needsDefaultAgent(
  entitlements: readonly string[] | null | undefined,
  agentId: string | null | undefined,
): boolean {
  if (!entitlements || !agentId) return false;
  return agentId !== defaultAgentId && !entitlements.includes('multi_agent');
}
