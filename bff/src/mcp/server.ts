import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { AnyTool, ToolCaller, ToolGate } from '../tools/tool.js';
import { toCallToolResult } from './tool-outcome.js';

/** The name and version MCP clients see in `initialize`. */
export const mcpServerInfo = { name: 'atrium', version: '1.0.0' };

/** A tool as MCP's `tools/list` describes it: the JSON Schema the model is given too. */
export function toMcpTool(tool: AnyTool): Tool {
  const schema = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema: _, ...inputSchema } = schema;
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: { ...inputSchema, type: 'object' } as Tool['inputSchema'],
    annotations: {
      readOnlyHint: tool.risk === 'read',
      destructiveHint: tool.risk === 'high' || tool.risk === 'critical',
    },
  };
}

/**
 * One MCP server for one HTTP request of one caller (stateless Streamable HTTP: the SDK refuses a
 * stateless transport reused across requests, modelcontextprotocol/typescript-sdk#1994).
 * `tools/list` = `gate.toolsFor(caller)`; `tools/call` = `gate.call(caller, name, args, { via: 'mcp' })`,
 * so permissions, drafts and approvals are exactly those of chat. The SDK's low-level `Server` is
 * used because our tools carry their own JSON Schema (from zod), which `McpServer` would rebuild.
 */
export function createMcpServer(gate: ToolGate, caller: ToolCaller): Server {
  const server = new Server(mcpServerInfo, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: (await gate.toolsFor(caller)).map(toMcpTool),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const outcome = await gate.call(
      caller,
      request.params.name,
      request.params.arguments ?? {},
      { via: 'mcp' },
      extra.signal,
    );
    return toCallToolResult(outcome);
  });
  return server;
}
