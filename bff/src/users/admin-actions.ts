import { randomInt } from 'node:crypto';
import { and, count, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit-log.js';
import { hashPassword } from '../auth/password.js';
import { revokeUserSessions } from '../auth/sessions.js';
import { type Database, hasVectorSearch } from '../db/index.js';
import { accessTokens, chats, documentChunks, documents, type UserRow, users } from '../db/schema/index.js';
import { type DocumentDeps, deleteDocument } from '../documents/service.js';
import type { Deps } from '../env.js';
import { AppError } from '../errors.js';

/**
 * Who performs a user-administration action: a signed-in admin (`id`), or the server's own
 * `atrium admin` CLI (`id` null, audited with `detail.actor = "cli"`).
 */
export interface AdminActor {
  id: string | null;
  requestId: string | null;
}

const actorDetail = (actor: AdminActor) => (actor.id === null ? { actor: 'cli' } : {});

/** Readable alphabet for temporary passwords: no 0/O, 1/l/I, or symbols a reader could mistake. */
const readableAlphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** 20 characters of a 56-letter alphabet: about 116 bits, from node:crypto's uniform `randomInt`. */
export const temporaryPasswordLength = 20;

/** A random temporary password (≥ 16 characters of `readableAlphabet`), grouped by dashes every 5 for reading aloud. */
export function temporaryPassword(): string {
  const letters = Array.from(
    { length: temporaryPasswordLength },
    () => readableAlphabet[randomInt(readableAlphabet.length)],
  );
  return letters.join('').replace(/(.{5})(?=.)/g, '$1-');
}

/** Locks the target row; 404 `user.not_found`. */
async function lockUser(tx: Database, id: string): Promise<UserRow> {
  const [row] = await tx.select().from(users).where(eq(users.id, id)).for('update');
  if (!row) throw new AppError('user.not_found', 404, 'No such user.');
  return row;
}

/** 409 `user.self_action`: an admin may not disable, delete, reset or sign out their own account here. */
function refuseSelf(actor: AdminActor, target: UserRow, what: string): void {
  if (actor.id === target.id) {
    throw new AppError('user.self_action', 409, `You cannot ${what} your own account.`);
  }
}

/**
 * 409 `user.last_admin` when `target` is an enabled admin and no other enabled admin would
 * remain. Every enabled admin row is locked first, so two admins disabling each other at the
 * same moment take turns and the second one is refused.
 */
export async function assertAnotherEnabledAdmin(tx: Database, target: UserRow, what: string): Promise<void> {
  if (target.role !== 'admin' || target.disabledAt !== null) return;
  const others = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt), ne(users.id, target.id)))
    .for('update');
  if (others.length === 0) {
    throw new AppError('user.last_admin', 409, `You cannot ${what} the last enabled admin.`);
  }
}

export interface ActionInput {
  targetId: string;
  reason: string;
}

/**
 * Disables the account: `disabled_at` set, every session revoked (the caller then sends
 * `session.ended` reason `disabled`), sign-in answers 403 `auth.account_disabled` and personal
 * access tokens stop authenticating. Disabling a disabled account changes and records nothing.
 * Audited `user.disabled` with the reason and the number of sessions ended.
 */
export async function disableUser(
  db: Database,
  actor: AdminActor,
  input: ActionInput,
  now: Date,
): Promise<{ user: UserRow; changed: boolean }> {
  return db.transaction(async (tx) => {
    const target = await lockUser(tx, input.targetId);
    refuseSelf(actor, target, 'disable');
    if (target.disabledAt !== null) return { user: target, changed: false };
    await assertAnotherEnabledAdmin(tx, target, 'disable');
    const [user] = await tx
      .update(users)
      .set({ disabledAt: now, updatedAt: now })
      .where(eq(users.id, target.id))
      .returning();
    const revokedSessions = await revokeUserSessions(tx, target.id, now);
    await recordAudit(tx, {
      at: now,
      actorId: actor.id,
      action: 'user.disabled',
      target: `user:${target.id}`,
      detail: { ...actorDetail(actor), email: target.email, reason: input.reason, revokedSessions },
      requestId: actor.requestId,
    });
    return { user: user!, changed: true };
  });
}

/** Enables a disabled account (it signs in again with its password). Audited `user.enabled`; an enabled one is left alone. */
export async function enableUser(
  db: Database,
  actor: AdminActor,
  input: ActionInput,
  now: Date,
): Promise<{ user: UserRow; changed: boolean }> {
  return db.transaction(async (tx) => {
    const target = await lockUser(tx, input.targetId);
    if (target.disabledAt === null) return { user: target, changed: false };
    const [user] = await tx
      .update(users)
      .set({ disabledAt: null, updatedAt: now })
      .where(eq(users.id, target.id))
      .returning();
    await recordAudit(tx, {
      at: now,
      actorId: actor.id,
      action: 'user.enabled',
      target: `user:${target.id}`,
      detail: { ...actorDetail(actor), email: target.email, reason: input.reason },
      requestId: actor.requestId,
    });
    return { user: user!, changed: true };
  });
}

/**
 * Sets a random temporary password (returned once, stored only as its scrypt hash), sets
 * `must_change_password`, and revokes every session (the caller sends `session.ended` reason
 * `password_reset`). Until the user picks a new password, the API answers 403
 * `auth.password_change_required` (middleware/password-change.ts). Audited
 * `user.password_reset` (never with the password). 409 `user.self_action` for one's own account;
 * the server CLI (actor id null) may reset any account, including the only admin's.
 */
export async function resetPassword(
  db: Database,
  actor: AdminActor,
  input: ActionInput,
  now: Date,
): Promise<{ user: UserRow; temporaryPassword: string; revokedSessions: number }> {
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const target = await lockUser(tx, input.targetId);
    refuseSelf(actor, target, 'reset the password of');
    const [user] = await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: true, updatedAt: now })
      .where(eq(users.id, target.id))
      .returning();
    const revokedSessions = await revokeUserSessions(tx, target.id, now);
    await recordAudit(tx, {
      at: now,
      actorId: actor.id,
      action: 'user.password_reset',
      target: `user:${target.id}`,
      detail: { ...actorDetail(actor), email: target.email, reason: input.reason, revokedSessions },
      requestId: actor.requestId,
    });
    return { user: user!, temporaryPassword: password, revokedSessions };
  });
}

/** Revokes every session of the user (they sign in again). Audited `user.sessions_revoked` with the count. */
export async function revokeSessionsOf(
  db: Database,
  actor: AdminActor,
  input: ActionInput,
  now: Date,
): Promise<{ user: UserRow; revokedSessions: number }> {
  return db.transaction(async (tx) => {
    const target = await lockUser(tx, input.targetId);
    refuseSelf(actor, target, 'revoke the sessions of');
    const revokedSessions = await revokeUserSessions(tx, target.id, now);
    await recordAudit(tx, {
      at: now,
      actorId: actor.id,
      action: 'user.sessions_revoked',
      target: `user:${target.id}`,
      detail: { ...actorDetail(actor), email: target.email, reason: input.reason, revokedSessions },
      requestId: actor.requestId,
    });
    return { user: target, revokedSessions };
  });
}

export interface DeletionCounts {
  chats: number;
  documents: number;
  sharedDocumentsKept: number;
}

/**
 * Deletes the account. In order:
 * 1. one transaction: the account is disabled and its sessions revoked (it can do nothing
 *    while the rest runs; the caller sends `session.ended` reason `deleted`);
 * 2. each private document (and each shared one whose exact bytes the acting admin already
 *    owns, which could not change owner) through the documents module's own delete: its jobs,
 *    chunks, embeddings and — when no other document holds the bytes — its stored file;
 * 3. one transaction: documents shared with an audience are reassigned to the acting admin
 *    (the document, its chunks and embeddings; answers' citations are snapshots and stay), the
 *    chats are counted, and the user row is deleted. The database cascades the rest: chats and
 *    messages, sessions, personal access tokens, their events, their drafts (pending ones with
 *    them) and the tickets they requested. Audit entries they wrote keep the row with a null
 *    actor; `user.deleted` records the email, reason and counts.
 * A failure between steps leaves a disabled account with fewer documents; deleting again
 * finishes the work. The CLI cannot delete (no acting admin to own shared documents).
 */
export async function deleteUserAccount(
  deps: Pick<Deps, 'db' | 'sse'> & { documents: DocumentDeps },
  actor: AdminActor & { id: string },
  input: ActionInput,
  now: Date,
): Promise<DeletionCounts> {
  const { db } = deps;
  const target = await db.transaction(async (tx) => {
    const row = await lockUser(tx, input.targetId);
    refuseSelf(actor, row, 'delete');
    await assertAnotherEnabledAdmin(tx, row, 'delete');
    if (row.disabledAt === null)
      await tx.update(users).set({ disabledAt: now, updatedAt: now }).where(eq(users.id, row.id));
    await revokeUserSessions(tx, row.id, now);
    await tx
      .update(accessTokens)
      .set({ revokedAt: now })
      .where(and(eq(accessTokens.userId, row.id), isNull(accessTokens.revokedAt)));
    return row;
  });
  await deps.sse.sessionsChanged(target.id, 'deleted');

  const owned = await db
    .select({ id: documents.id, audience: documents.audience, sha256: documents.sha256 })
    .from(documents)
    .where(eq(documents.ownerId, target.id));
  const actorShas = new Set(
    owned.length === 0
      ? []
      : (
          await db
            .select({ sha256: documents.sha256 })
            .from(documents)
            .where(
              and(
                eq(documents.ownerId, actor.id),
                inArray(
                  documents.sha256,
                  owned.map((d) => d.sha256),
                ),
              ),
            )
        ).map((d) => d.sha256),
  );
  const toDelete = owned.filter((d) => d.audience === 'private' || actorShas.has(d.sha256));
  const owner = { userId: target.id, role: target.role, requestId: actor.requestId };
  let deletedDocuments = 0;
  for (const doc of toDelete) {
    try {
      await deleteDocument(deps.documents, owner, doc.id);
      deletedDocuments += 1;
    } catch (error) {
      // Deleted meanwhile by someone else: nothing left to do for it.
      if (!(error instanceof AppError && error.code === 'document.not_found')) throw error;
    }
  }

  return db.transaction(async (tx) => {
    const row = await lockUser(tx, target.id);
    const kept = await tx
      .update(documents)
      .set({ ownerId: actor.id, updatedAt: now })
      .where(eq(documents.ownerId, row.id))
      .returning({ id: documents.id });
    const keptIds = kept.map((d) => d.id);
    if (keptIds.length > 0) {
      await tx.update(documentChunks).set({ ownerId: actor.id }).where(inArray(documentChunks.documentId, keptIds));
      if (await hasVectorSearch(tx)) {
        await tx.execute(sql`update chunk_embeddings set owner_id = ${actor.id} where owner_id = ${row.id}`);
      }
    }
    const [chatCount] = await tx.select({ n: count() }).from(chats).where(eq(chats.userId, row.id));
    await tx.delete(users).where(eq(users.id, row.id));
    const counts: DeletionCounts = {
      chats: chatCount?.n ?? 0,
      documents: deletedDocuments,
      sharedDocumentsKept: keptIds.length,
    };
    await recordAudit(tx, {
      at: now,
      actorId: actor.id,
      action: 'user.deleted',
      target: `user:${row.id}`,
      detail: { email: row.email, role: row.role, reason: input.reason, ...counts, reassignedTo: actor.id },
      requestId: actor.requestId,
    });
    return counts;
  });
}
