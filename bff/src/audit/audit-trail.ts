import type { ActorView, AuditEntry, AuditQuery } from '@atrium/contracts';
import { and, desc, eq, getTableColumns, lt, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { auditLog } from '../db/schema/index.js';
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

/** Newest first, filtered in the query; one row more than the page tells whether an older page exists. */
export async function listAuditEntries(
  db: Database,
  query: AuditQuery,
): Promise<{ entries: AuditEntry[]; nextBefore: string | null }> {
  const rows = await db
    .select(namedEntry)
    .from(auditLog)
    .where(
      and(
        query.target === undefined ? undefined : eq(auditLog.target, query.target),
        query.action === undefined ? undefined : eq(auditLog.action, query.action),
        query.actor === undefined ? undefined : actorFilter(query.actor),
        query.before === undefined ? undefined : lt(auditLog.id, query.before),
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    entries: page.map(toAuditEntry),
    nextBefore: rows.length > query.limit ? String(page.at(-1)!.id) : null,
  };
}
