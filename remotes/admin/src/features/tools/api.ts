import {
  type ApiClient,
  type CreateHttpToolRequest,
  type HttpTool,
  httpToolResponseSchema,
  listHttpToolsResponseSchema,
  listToolsResponseSchema,
  okResponseSchema,
  type ToolView,
  type UpdateHttpToolRequest,
} from '@atrium/contracts';

/** Every tool the agent knows (built-in, HTTP, MCP) with its call statistics; `admin:view`. */
export async function listTools(api: ApiClient): Promise<ToolView[]> {
  return (await api.get('/api/admin/tools', listToolsResponseSchema)).tools;
}

/** The HTTP tools as configured; `tools:manage` (admins). */
export async function listHttpTools(api: ApiClient): Promise<HttpTool[]> {
  return (await api.get('/api/admin/http-tools', listHttpToolsResponseSchema)).httpTools;
}

export async function createHttpTool(api: ApiClient, body: CreateHttpToolRequest): Promise<HttpTool> {
  return (await api.send('POST', '/api/admin/http-tools', body, httpToolResponseSchema)).httpTool;
}

export async function updateHttpTool(api: ApiClient, id: string, patch: UpdateHttpToolRequest): Promise<HttpTool> {
  return (await api.send('PATCH', `/api/admin/http-tools/${encodeURIComponent(id)}`, patch, httpToolResponseSchema))
    .httpTool;
}

export async function deleteHttpTool(api: ApiClient, id: string): Promise<void> {
  await api.send('DELETE', `/api/admin/http-tools/${encodeURIComponent(id)}`, {}, okResponseSchema);
}
