import { type AgentStatus, type ApiClient, agentStatusSchema } from '@atrium/contracts';

export function getAgentStatus(api: ApiClient): Promise<AgentStatus> {
  return api.get('/api/agent', agentStatusSchema);
}
