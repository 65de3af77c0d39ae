import { and, desc, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { columnCount, rawSelect, tableReader } from '../db/raw-select.js';
import { type SessionRow, sessions, type UserRow, users } from '../db/schema/index.js';
import { randomToken, sha256Hex } from './tokens.js';

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

/**
 * Writing last_seen_at on every request would turn reads into writes: it is written at most once a
 * minute, and at least twice per idle window (`idleMs / 2`), so a session in use never reaches its
 * idle deadline between touches (with SESSION_IDLE_MINUTES=1 a once-a-minute touch signed out a
 * user active every 10 s).
 */
export const touchIntervalMs = (idleMs: number) => Math.min(60_000, Math.floor(idleMs / 2));

export interface NewSession {
  token: string;
  session: SessionRow;
}

export async function createSession(
  db: Database,
  input: { userId: string; now: Date; policy: SessionPolicy; userAgent: string | null; ip: string | null },
): Promise<NewSession> {
  const token = randomToken();
  const [session] = await db
    .insert(sessions)
    .values({
      id: sha256Hex(token),
      userId: input.userId,
      csrfToken: randomToken(),
      createdAt: input.now,
      lastSeenAt: input.now,
      expiresAt: new Date(input.now.getTime() + input.policy.absoluteMs),
      userAgent: input.userAgent?.slice(0, 512) ?? null,
      ip: input.ip,
    })
    .returning();
  return { token, session: session! };
}

export type SessionLookup = { session: SessionRow; user: UserRow } | null;

/*
 * Every request runs this lookup, so it is built once per database and prepared: drizzle does
 * not rebuild the SQL each time, and Postgres parses and plans it once per connection. Its rows
 * are read raw (db/raw-select.ts): the session's columns, then the user's.
 */
const sessionLookupName = 'atrium_find_session';
const sessionLookups = new WeakMap<Database, ReturnType<typeof prepareSessionLookup>>();
const readSession = tableReader(sessions);
const readUser = tableReader(users);
const userOffset = columnCount(sessions);

function prepareSessionLookup(db: Database) {
  return rawSelect(
    db,
    sessionLookupName,
    () =>
      db
        .select({ session: sessions, user: users })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.id, sql.placeholder('id')), isNull(sessions.revokedAt)))
        .limit(1),
    (values) => ({ session: readSession(values, 0), user: readUser(values, userOffset) }),
  );
}

function sessionLookup(db: Database) {
  let lookup = sessionLookups.get(db);
  if (!lookup) {
    lookup = prepareSessionLookup(db);
    sessionLookups.set(db, lookup);
  }
  return lookup;
}

/**
 * Loads a live session and its user in one query; expires it on the spot when a timeout has
 * passed, and revokes it when the user is disabled.
 */
export async function findSession(
  db: Database,
  token: string,
  now: Date,
  policy: SessionPolicy,
): Promise<SessionLookup> {
  const [row] = await sessionLookup(db)({ id: sha256Hex(token) });
  if (!row) return null;
  // Disabling revokes sessions in the same transaction; this also covers a sign-in that raced it.
  if (row.user.disabledAt !== null) {
    await revokeSession(db, row.session.id, now);
    return null;
  }
  const idleDeadline = row.session.lastSeenAt.getTime() + policy.idleMs;
  if (now.getTime() >= row.session.expiresAt.getTime() || now.getTime() >= idleDeadline) {
    await revokeSession(db, row.session.id, now);
    return null;
  }
  if (now.getTime() - row.session.lastSeenAt.getTime() >= touchIntervalMs(policy.idleMs)) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.session.id));
    row.session.lastSeenAt = now;
  }
  return row;
}

export async function revokeSession(db: Database, sessionId: string, now: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Revokes one of the user's own sessions; the user filter is in the query, so another user's id matches nothing. */
export async function revokeOwnSession(db: Database, userId: string, sessionId: string, now: Date): Promise<boolean> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return revoked.length > 0;
}

export async function revokeUserSessions(
  db: Database,
  userId: string,
  now: Date,
  options: { except?: string } = {},
): Promise<number> {
  const conditions = [eq(sessions.userId, userId), isNull(sessions.revokedAt)];
  if (options.except) conditions.push(ne(sessions.id, options.except));
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(...conditions))
    .returning({ id: sessions.id });
  return revoked.length;
}

export async function listUserSessions(
  db: Database,
  userId: string,
  now: Date,
  policy: SessionPolicy,
): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        gt(sessions.lastSeenAt, new Date(now.getTime() - policy.idleMs)),
      ),
    )
    .orderBy(desc(sessions.lastSeenAt));
}

/** Which of these sessions are still live (not revoked, not timed out); long-lived streams re-check with it. */
export async function liveSessionIds(
  db: Database,
  ids: readonly string[],
  now: Date,
  policy: SessionPolicy,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(
      and(
        inArray(sessions.id, [...ids]),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        gt(sessions.lastSeenAt, new Date(now.getTime() - policy.idleMs)),
      ),
    );
  return new Set(rows.map((r) => r.id));
}
