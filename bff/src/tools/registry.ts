import type { AnyTool, ToolSource } from './tool.js';

/** Every tool Atrium knows, from every source, enabled or not. */
export interface ToolRegistry {
  /** Built-ins first, then HTTP tools, then each further source; a later tool with a taken name is dropped. */
  all(): Promise<AnyTool[]>;
  /** The tool by name, enabled or not; null when no source has it. */
  get(name: string): Promise<AnyTool | null>;
  /** Names of the built-in tools (no HTTP tool or MCP tool may take one). */
  builtinNames: ReadonlySet<string>;
}

/**
 * The registry over its sources (issue 10): `builtins` (bff/src/tools/builtin), `http` (the
 * admin-configured HTTP tools, read from the database per call so a change applies at once) and
 * `sources` (external MCP servers, bff/src/mcp). Sources are asked on every call, all at once; the MCP source
 * reuses each server's `tools/list` for 30 s (mcp/mcp-source.ts).
 */
export function createToolRegistry(options: {
  builtins: readonly AnyTool[];
  http: ToolSource;
  sources?: readonly ToolSource[];
}): ToolRegistry {
  const builtinNames = new Set(options.builtins.map((t) => t.name));
  const all = async () => {
    // Every source at once (issue 12: the HTTP tools and the MCP servers are two reads on the
    // way to an answer's first token); the order of the result is still the sources' order.
    const listed = await Promise.all([options.http, ...(options.sources ?? [])].map((source) => source.tools()));
    const seen = new Set(builtinNames);
    const tools: AnyTool[] = [...options.builtins];
    for (const sourceTools of listed) {
      for (const tool of sourceTools) {
        if (seen.has(tool.name)) continue;
        seen.add(tool.name);
        tools.push(tool);
      }
    }
    return tools;
  };
  return {
    all,
    builtinNames,
    get: async (name) =>
      options.builtins.find((t) => t.name === name) ?? (await all()).find((t) => t.name === name) ?? null,
  };
}
