import {
  type AgentStatus,
  type ApiClient,
  agentListResponseSchema,
  agentStatusSchema,
  type Chat,
  chatResponseSchema,
} from '@atrium/contracts';
import type { z } from 'zod';

export function getAgentStatus(api: ApiClient): Promise<AgentStatus> {
  return api.get('/api/agent', agentStatusSchema);
}

export type AgentList = z.infer<typeof agentListResponseSchema>;

/** Every agent and whether the caller may choose one (`multi_agent`). */
export function listAgents(api: ApiClient): Promise<AgentList> {
  return api.get('/api/agents', agentListResponseSchema);
}

/** Switches the agent answering in a chat (402 `entitlement.required` without `multi_agent`). */
export async function switchAgent(api: ApiClient, chatId: string, agentId: string): Promise<Chat> {
  const { chat } = await api.send('PATCH', `/api/chats/${encodeURIComponent(chatId)}`, { agentId }, chatResponseSchema);
  return chat;
}
