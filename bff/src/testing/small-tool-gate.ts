import { randomUUID } from 'node:crypto';
import { type Draft, defaultApprovals } from '@atrium/contracts';
import { z } from 'zod';
import type { AnyTool, ToolCaller, ToolCallOrigin, ToolGate, ToolSource } from '../tools/tool.js';

/**
 * A minimal gate over real tool definitions and sources, for tests of what sits on top of the
 * gate (/mcp, MCP sources) until the real one (tools/gate.ts) is wired: unknown → `tool.unknown`,
 * bad arguments → `tool.invalid_arguments`, role → `tool.forbidden`, critical → `tool.needs_person`,
 * `read` → run now, otherwise → a pending draft recorded in `drafts` (nothing runs).
 */
export function createSmallToolGate(sources: ToolSource[]): ToolGate & {
  drafts: { draft: Draft; tool: AnyTool; input: unknown; caller: ToolCaller; origin: ToolCallOrigin }[];
} {
  const drafts: { draft: Draft; tool: AnyTool; input: unknown; caller: ToolCaller; origin: ToolCallOrigin }[] = [];
  const all = async () => (await Promise.all(sources.map((s) => s.tools()))).flat();
  const get = async (name: string) => (await all()).find((t) => t.name === name) ?? null;
  return {
    drafts,
    get,
    toolsFor: async (caller) => (await all()).filter((t) => t.roles.includes(caller.role)),
    async call(caller, name, rawArguments, origin, signal) {
      const tool = await get(name);
      if (!tool) return { kind: 'refused', code: 'tool.unknown', message: `No tool named ${name}.` };
      const parsed = tool.input.safeParse(rawArguments);
      if (!parsed.success) {
        return { kind: 'refused', code: 'tool.invalid_arguments', message: z.prettifyError(parsed.error) };
      }
      if (!tool.roles.includes(caller.role)) {
        return { kind: 'refused', code: 'tool.forbidden', message: 'Your role may not call this tool.' };
      }
      if (tool.risk === 'critical' || tool.approvals === null) {
        return { kind: 'refused', code: 'tool.needs_person', message: 'Only a person may do this.' };
      }
      if (tool.risk === 'read') {
        const started = Date.now();
        try {
          const output = await tool.run(parsed.data, { db: undefined as never, caller, signal, idempotencyKey: null });
          return { kind: 'result', output, summary: tool.summarize(output), durationMs: Date.now() - started };
        } catch (error) {
          return { kind: 'failed', code: 'tool.failed', message: String(error), durationMs: Date.now() - started };
        }
      }
      const at = new Date().toISOString();
      const draft: Draft = {
        id: randomUUID(),
        tool: tool.name,
        risk: tool.risk,
        summary: tool.describe(parsed.data),
        arguments: parsed.data,
        status: 'pending',
        requester: { kind: 'user', id: caller.userId, displayName: 'test', email: 'test@example.com' },
        chatId: origin.via === 'chat' ? origin.chatId : null,
        answerId: origin.via === 'chat' ? origin.answerId : null,
        levels: (tool.approvals ?? defaultApprovals[tool.risk] ?? []).map((level) => ({
          roles: [...level.roles],
          decision: null,
        })),
        createdAt: at,
        expiresAt: at,
        updatedAt: at,
        outcome: null,
      };
      drafts.push({ draft, tool, input: parsed.data, caller, origin });
      return { kind: 'drafted', draft };
    },
  };
}
