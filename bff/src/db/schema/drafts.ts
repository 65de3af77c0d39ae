import type { ApprovalLevel, DraftStatus, Role, ToolRisk } from '@atrium/contracts';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.js';

/**
 * A proposed write waiting for people (issue 10, bff/src/drafts). `levels` are the approval
 * levels copied from the tool when proposed, so a later change of the tool's declaration never
 * changes what an open draft needs. `startedAt` is committed before a non-transactional tool is
 * called: a job that finds it set never calls again (at most once).
 */
export const drafts = pgTable(
  'drafts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tool: text('tool').notNull(),
    risk: text('risk').$type<ToolRisk>().notNull(),
    arguments: jsonb('arguments').$type<unknown>().notNull(),
    summary: text('summary').notNull(),
    status: text('status').$type<DraftStatus>().notNull(),
    requesterId: uuid('requester_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Set when proposed from a chat answer; not foreign keys: a deleted chat leaves its drafts to settle. */
    chatId: uuid('chat_id'),
    answerId: uuid('answer_id'),
    stepId: text('step_id'),
    levels: jsonb('levels').$type<ApprovalLevel[]>().notNull(),
    /** Roles of every level, flattened, so "who may see or decide it" is an array overlap in SQL. */
    deciderRoles: text('decider_roles').array().$type<Role[]>().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    outcome: jsonb('outcome').$type<{ code: string; message: string }>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // With the id, read backwards they give the lists' `created_at DESC, id DESC` with no sort.
    index('drafts_status_created_idx').on(t.status, t.createdAt, t.id),
    index('drafts_requester_created_idx').on(t.requesterId, t.createdAt, t.id),
  ],
);

/** One decision per level and one level per person: both enforced by unique constraints as well as by the code. */
export const draftDecisions = pgTable(
  'draft_decisions',
  {
    draftId: uuid('draft_id')
      .notNull()
      .references(() => drafts.id, { onDelete: 'cascade' }),
    /** 0-based index into the draft's `levels`. */
    level: integer('level').notNull(),
    /** Null once the account was deleted (shown as a former user). */
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    approve: boolean('approve').notNull(),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [
    unique('draft_decisions_level_uq').on(t.draftId, t.level),
    unique('draft_decisions_actor_uq').on(t.draftId, t.actorId),
  ],
);

export type DraftRow = typeof drafts.$inferSelect;
export type DraftDecisionRow = typeof draftDecisions.$inferSelect;
