import type { ToolView } from '@atrium/contracts';
import { z } from 'zod';
import type { AnyTool } from './tool.js';

const noStats: ToolView['stats'] = { calls: 0, failures: 0, p50Ms: null, lastCalledAt: null };

/**
 * The JSON Schema the model (and an MCP client) is given for `tool`'s arguments: the input side,
 * so fields with defaults are optional. An unrepresentable schema reads as an empty object.
 */
export function toolInputJsonSchema(tool: AnyTool): Record<string, unknown> {
  try {
    const { $schema: _, ...schema } = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' });
    return schema;
  } catch {
    return { type: 'object' };
  }
}

/** A tool as the admin Tools page lists it (contracts `toolViewSchema`). */
export function toToolView(tool: AnyTool, stats: ToolView['stats'] | undefined): ToolView {
  return {
    name: tool.name,
    description: tool.description,
    kind: tool.kind,
    risk: tool.risk,
    roles: [...tool.roles],
    approvalLevels: tool.risk === 'critical' || tool.approvals === null ? null : tool.approvals.length,
    timeoutMs: tool.timeoutMs,
    idempotent: tool.idempotent,
    enabled: tool.enabled !== false,
    inputSchema: toolInputJsonSchema(tool),
    stats: stats ?? noStats,
  };
}
