import type { DocumentAudience } from '@atrium/contracts';
import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.js';

/**
 * Agent profiles an admin defined or changed (issue 11; bff/src/agents/store.ts). The built-in
 * agents (`support`, `billing`, `technical`) live in code (bff/src/agent/profiles.ts); a row with
 * a built-in id is an admin's override of it, and removing the override is not possible (a
 * built-in cannot be deleted). `tools` null = every tool the asker may use; `model` null = the
 * server's choice; `audience` null = the asker's own access.
 */
export const agents = pgTable('agents', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  systemPrompt: text('system_prompt').notNull(),
  tools: jsonb('tools').$type<string[]>(),
  model: text('model'),
  audience: text('audience').$type<DocumentAudience>(),
  /** The admin who last changed it; null once that account is deleted. */
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

export type AgentRow = typeof agents.$inferSelect;
