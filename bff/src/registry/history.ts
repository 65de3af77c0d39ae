import {
  type ActorView,
  type ReleaseHistoryEntry,
  type RemoteName,
  type releaseActions,
  remoteAuditTarget,
} from '@atrium/contracts';
import { and, desc, eq, getTableColumns, inArray, lt } from 'drizzle-orm';
import { recordAudit } from '../audit/audit-log.js';
import type { Database } from '../db/index.js';
import { type ReleaseHistoryRow, type ReleaseState, releaseHistory } from '../db/schema/index.js';
import { rowIdCursor } from '../page-cursor.js';
import { type Actor, actorName, auditActorId } from './actor.js';
import { actorViewOf } from './actor-view.js';

export type ReleaseAction = (typeof releaseActions)[number];

export interface HistoryInput {
  remote: RemoteName;
  at: Date;
  actor: Actor;
  action: ReleaseAction;
  automatic?: boolean;
  from: ReleaseState;
  to: ReleaseState;
  version: string | null;
  reason: string;
  requestId: string | null;
}

/** One history row and one audit row, inside the caller's transaction. */
export async function recordReleaseChange(tx: Database, input: HistoryInput): Promise<void> {
  const actor = actorName(input.actor);
  const automatic = input.automatic ?? false;
  await tx.insert(releaseHistory).values({
    remote: input.remote,
    at: input.at,
    actor,
    action: input.action,
    automatic,
    from: input.from,
    to: input.to,
    version: input.version,
    reason: input.reason,
  });
  await recordAudit(tx, {
    at: input.at,
    actorId: auditActorId(input.actor),
    action: `registry.${input.action}`,
    target: remoteAuditTarget(input.remote),
    detail: { actor, automatic, version: input.version, from: input.from, to: input.to, reason: input.reason },
    requestId: input.requestId,
  });
}

export type NamedHistoryRow = ReleaseHistoryRow & { actorView: ActorView };
const namedHistory = { ...getTableColumns(releaseHistory), actorView: actorViewOf(releaseHistory.actor) };

export function toHistoryEntry(row: NamedHistoryRow): ReleaseHistoryEntry {
  return {
    id: String(row.id),
    remote: row.remote as RemoteName,
    at: row.at.toISOString(),
    actor: row.actorView,
    action: row.action as ReleaseAction,
    automatic: row.automatic,
    from: row.from,
    to: row.to,
    version: row.version,
    reason: row.reason,
  };
}

/**
 * Newest first; `before` is the id of the last entry of the previous page, as `toHistoryEntry`
 * wrote it. Any other `before` is 400 `request.invalid_cursor`.
 */
export async function listHistory(
  db: Database,
  remote: RemoteName,
  page: { before?: string | undefined; limit: number },
): Promise<NamedHistoryRow[]> {
  const before = page.before === undefined ? undefined : rowIdCursor.decode(page.before);
  return db
    .select(namedHistory)
    .from(releaseHistory)
    .where(
      before === undefined
        ? eq(releaseHistory.remote, remote)
        : and(eq(releaseHistory.remote, remote), lt(releaseHistory.id, before)),
    )
    .orderBy(desc(releaseHistory.id))
    .limit(page.limit);
}

/** Each remote's newest entry, in one query (the `(remote, id)` index serves it). */
export async function latestHistory(db: Database, remotes: readonly RemoteName[]): Promise<NamedHistoryRow[]> {
  return db
    .selectDistinctOn([releaseHistory.remote], namedHistory)
    .from(releaseHistory)
    .where(inArray(releaseHistory.remote, [...remotes]))
    .orderBy(releaseHistory.remote, desc(releaseHistory.id));
}
