import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { createToolRegistry } from './registry.js';
import type { AnyTool, ToolSource } from './tool.js';

const tool = (name: string, description = name): AnyTool =>
  defineTool({
    name,
    description,
    kind: 'builtin',
    input: z.object({}),
    output: z.object({}),
    risk: 'read',
    timeoutMs: 50,
    roles: ['user'],
    maxRetries: 0,
    describe: () => name,
    summarize: () => name,
    run: async () => ({}),
  });

/** A source whose `tools()` resolves only when the test says so, recording that it was asked. */
function heldSource(tools: AnyTool[]) {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const state = { asked: false, release };
  const source: ToolSource = {
    tools: async () => {
      state.asked = true;
      await released;
      return tools;
    },
  };
  return { source, state };
}

describe('the tool registry', () => {
  it('asks every source at once, not one after another (issue 12: two reads before the first token)', async () => {
    const http = heldSource([tool('lookup')]);
    const mcp = heldSource([tool('search_docs')]);
    const registry = createToolRegistry({ builtins: [], http: http.source, sources: [mcp.source] });
    const listing = registry.all();
    await new Promise((resolve) => setImmediate(resolve));
    expect(http.state.asked).toBe(true);
    expect(mcp.state.asked).toBe(true);
    mcp.state.release();
    http.state.release();
    expect((await listing).map((t) => t.name)).toEqual(['lookup', 'search_docs']);
  });

  it('keeps the sources’ order and drops a later tool with a taken name, whichever source answers first', async () => {
    const http = heldSource([tool('lookup', 'http'), tool('shared', 'http')]);
    const mcp = heldSource([tool('shared', 'mcp'), tool('get_weather', 'mcp'), tool('now', 'mcp')]);
    const registry = createToolRegistry({
      builtins: [tool('now', 'builtin')],
      http: http.source,
      sources: [mcp.source],
    });
    const listing = registry.all();
    mcp.state.release();
    await new Promise((resolve) => setImmediate(resolve));
    http.state.release();
    expect((await listing).map((t) => `${t.name}:${t.description}`)).toEqual([
      'now:builtin',
      'lookup:http',
      'shared:http',
      'get_weather:mcp',
    ]);
  });
});
