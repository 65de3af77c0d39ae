import type { ActorView, AuditEntry, AuditQuery } from '@atrium/contracts';
import { and, desc, eq, getTableColumns, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { likePrefix } from '../db/like-pattern.js';
import { auditLog, deployTokens, users } from '../db/schema/index.js';
import { rowIdCursor } from '../page-cursor.js';
import { actorViewOf } from '../registry/actor-view.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Registry entries name a token or the registry itself in their detail; everyone else is `actor_id`. */
const storedActor = sql`coalesce(${auditLog.actorId}::text, ${auditLog.detail}->>'actor')`;

const namedEntry = {
  ...getTableColumns(auditLog),
  actor: actorViewOf(storedActor),
};
type NamedAuditRow = typeof auditLog.$inferSelect & { actor: ActorView };

function actorFilter(actor: string): SQL {
  // A user id is matched on the indexed column; tokens and the registry only appear in the detail.
  return uuidPattern.test(actor)
    ? eq(auditLog.actorId, actor.toLowerCase())
    : sql`${auditLog.detail}->>'actor' = ${actor}`;
}

/**
 * What the audit page's "target" box finds, in the query: a stored target or its start
 * (`remote:chat-core`, `user:`), a remote by the start of its name (`chat-core`: its releases and
 * its deploy tokens), a user by the start of their email (`ops@`). Every arm can use the
 * `(target text_pattern_ops, id)` index: two left-anchored LIKEs, and `= any(array(...))` over the
 * few targets the names resolve to (an init plan, run once).
 */
export function targetFilter(term: string): SQL {
  const prefix = likePrefix(term);
  const named = sql`array(
    select 'user:' || ${users.id}::text from ${users} where ${users.email} like ${likePrefix(term.toLowerCase())}
    union all
    select 'deploy_token:' || ${deployTokens.id}::text from ${deployTokens} where ${deployTokens.remote} like ${prefix})`;
  return or(
    sql`${auditLog.target} like ${prefix}`,
    sql`${auditLog.target} like ${`remote:${prefix}`}`,
    sql`${auditLog.target} = any(${named})`,
  )!;
}

function toAuditEntry(row: NamedAuditRow): AuditEntry {
  return {
    id: String(row.id),
    at: row.at.toISOString(),
    actorId: row.actorId,
    actor: row.actor,
    action: row.action,
    target: row.target,
    detail: row.detail,
    requestId: row.requestId,
  };
}

/**
 * Newest first, filtered in the query; one row more than the page tells whether an older page
 * exists. `target` finds (see `targetFilter`); `action` and `actor` match exactly. A `before`
 * this server did not issue is 400 `request.invalid_cursor`.
 */
export async function listAuditEntries(
  db: Database,
  query: AuditQuery,
): Promise<{ entries: AuditEntry[]; nextBefore: string | null }> {
  const before = query.before === undefined ? undefined : rowIdCursor.decode(query.before);
  const rows = await db
    .select(namedEntry)
    .from(auditLog)
    .where(
      and(
        query.target === undefined ? undefined : targetFilter(query.target),
        query.action === undefined ? undefined : eq(auditLog.action, query.action),
        query.actor === undefined ? undefined : actorFilter(query.actor),
        before === undefined ? undefined : lt(auditLog.id, before),
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    entries: page.map(toAuditEntry),
    nextBefore: rows.length > query.limit ? rowIdCursor.encode(page.at(-1)!.id) : null,
  };
}
