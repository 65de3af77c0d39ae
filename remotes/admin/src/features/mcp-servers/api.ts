import {
  type ApiClient,
  type CreateMcpServerRequest,
  type McpServer,
  mcpServerListResponseSchema,
  mcpServerResponseSchema,
  type updateMcpServerRequestSchema,
} from '@atrium/contracts';
import type { z } from 'zod';

export type UpdateMcpServerRequest = z.input<typeof updateMcpServerRequestSchema>;

const path = '/api/admin/mcp-servers';

/** The registered external MCP servers, newest first; `tools:manage` (admins). The token is never returned. */
export async function listMcpServers(api: ApiClient): Promise<McpServer[]> {
  return (await api.get(path, mcpServerListResponseSchema)).servers;
}

/** Registers a server; the BFF checks the URL with its outbound guard and that it answers `tools/list`. */
export async function createMcpServer(api: ApiClient, body: CreateMcpServerRequest): Promise<McpServer> {
  return (await api.send('POST', path, body, mcpServerResponseSchema)).server;
}

export async function updateMcpServer(api: ApiClient, id: string, patch: UpdateMcpServerRequest): Promise<McpServer> {
  return (await api.send('PATCH', `${path}/${encodeURIComponent(id)}`, patch, mcpServerResponseSchema)).server;
}

export async function deleteMcpServer(api: ApiClient, id: string): Promise<void> {
  await api.send('DELETE', `${path}/${encodeURIComponent(id)}`, {}, mcpServerResponseSchema);
}
