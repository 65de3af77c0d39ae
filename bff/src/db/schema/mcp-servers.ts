import type { Role, ToolRisk } from '@atrium/contracts';
import { boolean, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.js';

/** External MCP servers whose tools enter the registry (mcp/mcp-source.ts). */
export const mcpServers = pgTable('mcp_servers', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Prefix of its tools' names (`<name>__<tool>`). */
  name: text('name').notNull().unique(),
  url: text('url').notNull(),
  /** Sent as `Authorization: Bearer …`; never returned by the API. */
  bearerToken: text('bearer_token'),
  enabled: boolean('enabled').notNull().default(true),
  defaultRisk: text('default_risk').$type<ToolRisk>().notNull().default('low'),
  riskOverrides: jsonb('risk_overrides').$type<Record<string, ToolRisk>>().notNull().default({}),
  roles: text('roles').array().$type<Role[]>().notNull(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

export type McpServerRow = typeof mcpServers.$inferSelect;
