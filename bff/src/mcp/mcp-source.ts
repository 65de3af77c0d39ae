import { defaultApprovals } from '@atrium/contracts';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Database } from '../db/index.js';
import { type McpServerRow, mcpServers } from '../db/schema/index.js';
import { guardedFetch, type OutboundPolicy } from '../tools/outbound-guard.js';
import type { AnyTool, ToolSource } from '../tools/tool.js';
import { mcpServerInfo } from './server.js';

/** Longest one call to an external tool may take (ms), as an HTTP tool's default. */
const callTimeoutMs = 30_000;

/** `<server>__<tool>` in lower snake case, at most 64 characters (the model's function-name limit). */
export function prefixedToolName(server: string, tool: string): string {
  return `${server}__${tool.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 64);
}

/** How long a server's `tools/list` answer (or its failure) is reused (ms): the agent loop asks on every turn. */
export const toolListTtlMs = 30_000;

/**
 * Connects an SDK client to one registered server (Streamable HTTP, its bearer token if any).
 * Every request, redirects included, goes through the outbound guard with `policy` (allow-listed
 * host, public addresses only, the checked address pinned): 400 `tool.url_not_allowed` otherwise.
 */
export async function connectMcpServer(
  server: Pick<McpServerRow, 'url' | 'bearerToken'>,
  policy: OutboundPolicy,
): Promise<Client> {
  const client = new Client({ name: mcpServerInfo.name, version: mcpServerInfo.version });
  const headers: Record<string, string> = server.bearerToken ? { Authorization: `Bearer ${server.bearerToken}` } : {};
  await client.connect(
    new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers }, fetch: guardedFetch(policy) }),
  );
  return client;
}

function inputSchemaOf(tool: Tool): z.ZodType<Record<string, unknown>> {
  try {
    return z.fromJSONSchema(tool.inputSchema as Parameters<typeof z.fromJSONSchema>[0]) as z.ZodType<
      Record<string, unknown>
    >;
  } catch {
    // A schema zod cannot read: still an object of arguments; the server validates the rest.
    return z.looseObject({});
  }
}

function textOf(result: CallToolResult): string {
  return result.content
    .map((part) => (part.type === 'text' ? part.text : `[${part.type}]`))
    .join('\n')
    .trim();
}

/** One external tool as a registry tool: risk as the admin assigned it, run through the SDK, never transactional. */
export function toRegistryTool(server: McpServerRow, tool: Tool, policy: OutboundPolicy): AnyTool {
  const risk = server.riskOverrides[tool.name] ?? server.defaultRisk;
  return {
    name: prefixedToolName(server.name, tool.name),
    description: `[${server.name}] ${tool.description ?? tool.title ?? tool.name}`.slice(0, 1024),
    kind: 'mcp',
    input: inputSchemaOf(tool),
    output: z.object({ text: z.string(), structured: z.unknown().optional() }),
    risk,
    timeoutMs: callTimeoutMs,
    idempotent: false,
    maxRetries: 0,
    roles: server.roles,
    approvals: defaultApprovals[risk],
    transactional: false,
    describe: (input) => `Call ${tool.name} on the MCP server ${server.name} with ${JSON.stringify(input)}.`,
    summarize: (output: { text: string }) => output.text.slice(0, 200),
    async run(input, context) {
      const client = await connectMcpServer(server, policy);
      try {
        const result = (await client.callTool({ name: tool.name, arguments: input }, undefined, {
          signal: context.signal,
          timeout: callTimeoutMs,
        })) as CallToolResult;
        if (result.isError) throw new Error(textOf(result) || 'The MCP tool reported an error.');
        return { text: textOf(result), structured: result.structuredContent };
      } finally {
        await client.close();
      }
    },
  };
}

/** The tools of one server as `tools/list` reports them now. */
export async function listServerTools(
  server: Pick<McpServerRow, 'url' | 'bearerToken'>,
  policy: OutboundPolicy,
): Promise<Tool[]> {
  const client = await connectMcpServer(server, policy);
  try {
    return (await client.listTools()).tools;
  } finally {
    await client.close();
  }
}

/**
 * A `ToolSource` over every enabled registered MCP server: their tools, prefixed and with the
 * assigned risk. The rows are read on every call (an admin's change applies at once); each
 * server's `tools/list` is reused for `ttlMs` (default `toolListTtlMs`), keyed by the row's id,
 * `updated_at`, URL and token, so an admin's change misses the cache on every instance (risks
 * and roles are applied from the row, never cached). A server that does not answer contributes no tools for `ttlMs` (reported through
 * `onUnreachable` once per attempt), so one broken server never hides the others nor slows
 * every turn.
 */
export function createMcpToolSource(deps: {
  db: Database;
  clock: Clock;
  policy: () => OutboundPolicy;
  ttlMs?: number;
  onUnreachable?: (server: McpServerRow, error: unknown) => void;
  /** Names that two of a server's tools share once prefixed: those tools are left out. */
  onNameClash?: (server: McpServerRow, names: string[]) => void;
}): ToolSource {
  const ttlMs = deps.ttlMs ?? toolListTtlMs;
  const cache = new Map<string, { key: string; at: number; tools: Promise<Tool[]> }>();
  const toolsOf = (server: McpServerRow): Promise<Tool[]> => {
    const key = `${server.updatedAt.toISOString()} ${server.url} ${server.bearerToken ?? ''}`;
    const now = deps.clock.now().getTime();
    const hit = cache.get(server.id);
    if (hit && hit.key === key && now - hit.at < ttlMs) return hit.tools;
    const tools = listServerTools(server, deps.policy()).catch((error: unknown) => {
      deps.onUnreachable?.(server, error);
      return [];
    });
    cache.set(server.id, { key, at: now, tools });
    return tools;
  };
  return {
    async tools() {
      const servers = await deps.db.select().from(mcpServers).where(eq(mcpServers.enabled, true));
      for (const id of cache.keys()) if (!servers.some((s) => s.id === id)) cache.delete(id);
      const lists = await Promise.all(
        servers.map(async (server) => {
          const tools = (await toolsOf(server)).map((tool) => toRegistryTool(server, tool, deps.policy()));
          // Two remote tools that read as one name (`dup-a` and `dup_a`, or cut at 64 characters):
          // neither is offered, so a call or an approved draft can never reach the other one.
          const seen = new Map<string, number>();
          for (const tool of tools) seen.set(tool.name, (seen.get(tool.name) ?? 0) + 1);
          const clashing = [...seen].filter(([, n]) => n > 1).map(([name]) => name);
          if (clashing.length > 0) deps.onNameClash?.(server, clashing);
          return tools.filter((tool) => seen.get(tool.name) === 1);
        }),
      );
      return lists.flat();
    },
  };
}
