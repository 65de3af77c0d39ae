import type { AgentListResponse, AgentStatus, ApiClient, Chat, ChatResponse } from '@atrium/contracts';
import { trustedResponse } from '@atrium/contracts/values';

export function getAgentStatus(api: ApiClient): Promise<AgentStatus> {
  return api.get('/api/agent', trustedResponse<AgentStatus>());
}

export type AgentList = AgentListResponse;

/** Every agent and whether the caller may choose one (`multi_agent`). */
export function listAgents(api: ApiClient): Promise<AgentList> {
  return api.get('/api/agents', trustedResponse<AgentListResponse>());
}

/** Switches the agent answering in a chat (402 `entitlement.required` without `multi_agent`). */
export async function switchAgent(api: ApiClient, chatId: string, agentId: string): Promise<Chat> {
  const { chat } = await api.send(
    'PATCH',
    `/api/chats/${encodeURIComponent(chatId)}`,
    { agentId },
    trustedResponse<ChatResponse>(),
  );
  return chat;
}
