import type { Role, ToolRisk } from '@atrium/contracts';
import { httpToolMethods } from '@atrium/contracts';
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const httpToolMethodEnum = pgEnum('http_tool_method', httpToolMethods);

/**
 * An HTTP tool an admin configured (issue 10; bff/src/tools/http-tool.ts). `inputSchema` is the
 * JSON Schema the model is given and the arguments are validated with; `risk` and `roles` work as
 * for built-ins. `url` is checked by the outbound guard when saved and again on every call.
 */
export const httpTools = pgTable('http_tools', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  description: text('description').notNull(),
  method: httpToolMethodEnum('method').notNull(),
  url: text('url').notNull(),
  inputSchema: jsonb('input_schema').$type<Record<string, unknown>>().notNull(),
  risk: text('risk').$type<ToolRisk>().notNull(),
  roles: jsonb('roles').$type<Role[]>().notNull(),
  timeoutMs: integer('timeout_ms').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/**
 * One row per call that ran (read tools at once, drafts when executed): the admin Tools page's
 * statistics. `outcome` is `result` or `failed`; refusals are counted too (`refused`), so an
 * admin sees a model trying what it may not.
 */
export const toolCalls = pgTable(
  'tool_calls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tool: text('tool').notNull(),
    callerId: uuid('caller_id'),
    outcome: text('outcome').$type<'result' | 'failed' | 'refused' | 'drafted'>().notNull(),
    /** Stable code for failed/refused calls (`tool.timeout`, `tool.forbidden`…); null otherwise. */
    code: text('code'),
    durationMs: integer('duration_ms').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('tool_calls_tool_at_idx').on(t.tool, t.at)],
);

export type HttpToolRow = typeof httpTools.$inferSelect;
export type ToolCallRow = typeof toolCalls.$inferSelect;
