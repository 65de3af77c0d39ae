import type { ActorView, Draft, ListDraftsQuery, Role } from '@atrium/contracts';
import { and, desc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { type DraftRow, draftDecisions, drafts, users } from '../db/schema/index.js';
import { draftListCursor } from '../page-cursor.js';
import { actorViewOf } from '../registry/actor-view.js';

/*
 * Every read names the reader: who may see a draft is in the SQL (its requester, or a person
 * whose role one of its levels names), so a draft they may not see matches nothing and looks
 * exactly like one that does not exist.
 */

/** Who reads or acts on drafts: the id and the role as stored now. */
export interface DraftReader {
  userId: string;
  role: Role;
}

/** The requester, or a role named by one of the draft's levels (`decider_roles && ARRAY[role]`). */
export const visibleTo = (reader: DraftReader): SQL => or(eq(drafts.requesterId, reader.userId), mayDecide(reader))!;

/** A role named by one of the draft's levels: may decide it (when its turn comes) and see it. */
export const mayDecide = (reader: DraftReader): SQL => sql`${drafts.deciderRoles} && array[${reader.role}]::text[]`;

/**
 * The draft row if `reader` may see it, else null. `lock` takes it `FOR UPDATE`: every change of
 * a draft (decision, withdrawal, expiry, execution) holds this lock, so two of them never interleave.
 */
export async function findVisibleDraft(
  db: Database,
  reader: DraftReader | null,
  draftId: string,
  options: { lock?: boolean } = {},
): Promise<DraftRow | null> {
  const where = reader ? and(eq(drafts.id, draftId), visibleTo(reader)) : eq(drafts.id, draftId);
  const query = db.select().from(drafts).where(where);
  const [row] = options.lock ? await query.for('update') : await query;
  return row ?? null;
}

/** The full view (contracts `draftSchema`) of drafts already visible to whoever asked: requester and deciders resolved in SQL. */
export async function draftViews(db: Database, rows: readonly DraftRow[]): Promise<Draft[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const requesters = await db
    .select({ id: drafts.id, requester: actorViewOf(sql`${drafts.requesterId}::text`) })
    .from(drafts)
    .where(inArray(drafts.id, ids));
  const decisions = await db
    .select({
      draftId: draftDecisions.draftId,
      level: draftDecisions.level,
      approve: draftDecisions.approve,
      reason: draftDecisions.reason,
      at: draftDecisions.at,
      by: actorViewOf(sql`${draftDecisions.actorId}::text`),
    })
    .from(draftDecisions)
    .where(inArray(draftDecisions.draftId, ids));
  const requesterOf = new Map(requesters.map((r) => [r.id, r.requester as ActorView]));
  return rows.map((row) => ({
    id: row.id,
    tool: row.tool,
    risk: row.risk,
    summary: row.summary,
    arguments: row.arguments,
    status: row.status,
    requester: requesterOf.get(row.id) ?? { kind: 'former_user', id: null },
    chatId: row.chatId,
    answerId: row.answerId,
    levels: row.levels.map((level, index) => {
      const decision = decisions.find((d) => d.draftId === row.id && d.level === index);
      return {
        roles: level.roles,
        decision: decision
          ? {
              by: decision.by as ActorView,
              approve: decision.approve,
              reason: decision.reason,
              at: decision.at.toISOString(),
            }
          : null,
      };
    }),
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    outcome: row.outcome ?? null,
  }));
}

export async function draftView(db: Database, row: DraftRow): Promise<Draft> {
  const [view] = await draftViews(db, [row]);
  return view!;
}

/**
 * A page of drafts, newest first: `scope` `queue` is what `reader` may decide (a level names
 * their role), `mine` what they proposed. Filters as `ListDraftsQuery`; 400
 * `request.invalid_cursor` for a forged cursor.
 */
export async function listDrafts(
  db: Database,
  reader: DraftReader,
  scope: 'queue' | 'mine',
  query: ListDraftsQuery,
): Promise<{ drafts: Draft[]; nextCursor: string | null }> {
  const conditions: SQL[] = [scope === 'mine' ? eq(drafts.requesterId, reader.userId) : mayDecide(reader)];
  if (query.status) conditions.push(eq(drafts.status, query.status));
  if (query.tool) conditions.push(eq(drafts.tool, query.tool));
  if (query.risk) conditions.push(eq(drafts.risk, query.risk));
  if (query.requester) conditions.push(eq(drafts.requesterId, query.requester));
  if (query.cursor) {
    const after = draftListCursor.decode(query.cursor);
    conditions.push(
      sql`(${drafts.createdAt}, ${drafts.id}) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`,
    );
  }
  const rows = await db
    .select()
    .from(drafts)
    .where(and(...conditions))
    .orderBy(desc(drafts.createdAt), desc(drafts.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    drafts: await draftViews(db, page),
    nextCursor: rows.length > query.limit && last ? draftListCursor.encode(last.createdAt, last.id) : null,
  };
}

/**
 * Who hears of a change to the draft (`draft.updated`): its requester, everyone who decided a
 * level, and every user whose role one of its levels names — bounded by the number of approvers.
 */
export async function concernedUsers(db: Database, row: DraftRow): Promise<string[]> {
  const deciders = await db.select({ id: users.id }).from(users).where(inArray(users.role, row.deciderRoles));
  const decided = await db
    .select({ id: draftDecisions.actorId })
    .from(draftDecisions)
    .where(eq(draftDecisions.draftId, row.id));
  const ids = new Set<string>([row.requesterId]);
  for (const d of [...deciders, ...decided]) if (d.id) ids.add(d.id);
  return [...ids];
}

/** The role the requester holds now (null: the account is gone): the worker re-checks it before running. */
export async function currentRole(db: Database, userId: string): Promise<Role | null> {
  const [row] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId));
  return row?.role ?? null;
}
