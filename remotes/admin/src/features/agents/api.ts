import {
  type Agent,
  type ApiClient,
  agentListResponseSchema,
  agentResponseSchema,
  type CreateAgentRequest,
  okResponseSchema,
  type updateAgentRequestSchema,
} from '@atrium/contracts';
import type { z } from 'zod';

export type UpdateAgentRequest = z.infer<typeof updateAgentRequestSchema>;

/** Every agent, prompts included for `agents:manage`. */
export async function listAgents(api: ApiClient): Promise<Agent[]> {
  return (await api.get('/api/agents', agentListResponseSchema)).agents;
}

export async function createAgent(api: ApiClient, body: CreateAgentRequest): Promise<Agent> {
  return (await api.send('POST', '/api/agents', body, agentResponseSchema)).agent;
}

export async function updateAgent(api: ApiClient, id: string, patch: UpdateAgentRequest): Promise<Agent> {
  return (await api.send('PATCH', `/api/agents/${encodeURIComponent(id)}`, patch, agentResponseSchema)).agent;
}

/** 409 `agent.built_in` for a built-in; the agent's chats move to the default agent. */
export async function deleteAgent(api: ApiClient, id: string): Promise<void> {
  await api.send('DELETE', `/api/agents/${encodeURIComponent(id)}`, {}, okResponseSchema);
}
