import {
  activeDocumentStatuses,
  audienceRank,
  type DocumentAudience,
  type DocumentStatus,
  type DocumentView,
  documentAuditTarget,
  type Passage,
  roleHas,
} from '@atrium/contracts';
import { eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit-log.js';
import type { Config } from '../config.js';
import { type Database, hasVectorSearch } from '../db/index.js';
import { type DocumentRow, documentChunks, documents, users } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { cancelIngestion, enqueueIngestion, removeIngestionJobs } from '../ingestion/pipeline.js';
import type { Ingestion } from '../ingestion/runtime.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import { type Emit, type EventDeps, withEvents } from '../realtime/event-log.js';
import { updateEmbeddingAccess } from '../retrieval/vector-store.js';
import type { Reader } from './access.js';
import { countDocumentsWithSha, findOwnDocumentBySha, findPassage, findVisibleDocument } from './repository.js';
import type { DocumentStore, StoredFile } from './store.js';
import { toDocumentView } from './views.js';

/** What document commands need: the event log, the file store, the job queue, and a nudge for the worker. */
export interface DocumentDeps extends EventDeps {
  store: DocumentStore;
  queue: JobQueue;
  logger: Logger;
  /** Called after a commit that enqueued ingestion: polls the in-process worker now (a no-op when it runs elsewhere). */
  wakeWorker(): void;
}

/** The document deps from the app's: the inline worker is woken after an enqueue; a separate worker polls by itself. */
export function documentDeps(deps: {
  db: Database;
  bus: EventDeps['bus'];
  clock: EventDeps['clock'];
  logger: Logger;
  config: Pick<Config, 'worker'>;
  ingestion: Pick<Ingestion, 'store' | 'queue' | 'worker'>;
}): DocumentDeps {
  const { db, bus, clock, logger, config, ingestion } = deps;
  return {
    db,
    bus,
    clock,
    logger,
    store: ingestion.store,
    queue: ingestion.queue,
    wakeWorker: () => {
      if (config.worker.mode === 'inline') ingestion.worker.wake();
    },
  };
}

/** Who acts: the reader's access rule, plus the request id the audit log records. */
export interface Actor extends Reader {
  requestId: string | null;
}

const notFound = () => new AppError('document.not_found', 404, 'No such document.');
const forbidden = (message: string) => new AppError('auth.forbidden', 403, message);
const wrongStatus = (action: string, allowed: string) =>
  new AppError('document.wrong_status', 409, `Only a document that is ${allowed} can be ${action}.`);

/** Advisory lock namespace (arbitrary, fixed) for one stored file: uploads and deletes of the same bytes take turns. */
const fileLock = 7_261_850;
const lockFile = (tx: Database, sha256: string) =>
  tx.execute(sql`select pg_advisory_xact_lock(${fileLock}, hashtext(${sha256}))`);

/** Announces the row to its owner (the view as the owner sees it) inside the transaction that changed it. */
const announce = (emit: Emit, row: DocumentRow, ownerName: string) =>
  emit.toUser(row.ownerId, { type: 'document.updated', document: toDocumentView(row, ownerName, row.ownerId) });

/**
 * Whether `actor` may publish to `audience` (issue 9): anyone to `private`; a shared audience
 * needs `documents:share` (contracts roles: agent_l2, admin). 403 `auth.forbidden` otherwise.
 */
export function assertMayPublish(actor: Reader, audience: DocumentAudience): void {
  if (audience !== 'private' && !roleHas(actor.role, 'documents:share')) {
    throw forbidden('Your role may upload private documents only.');
  }
}

/** The document as `reader` sees it; 404 `document.not_found` when it does not exist or they may not see it. */
export async function readDocument(db: Database, reader: Reader, documentId: string): Promise<DocumentView> {
  const found = await findVisibleDocument(db, reader, documentId);
  if (!found) throw notFound();
  return toDocumentView(found.row, found.ownerName, reader.userId);
}

/**
 * A passage of a document with its neighbours (by ordinal), for opening a citation. The access
 * rule is checked again on the document and on each chunk; 404 `document.not_found` when either
 * is not visible, or the chunk is not this document's.
 */
export async function readPassage(
  db: Database,
  reader: Reader,
  documentId: string,
  chunkId: string,
): Promise<{ document: DocumentView; passage: Passage; before: Passage | null; after: Passage | null }> {
  const found = await findVisibleDocument(db, reader, documentId);
  if (!found) throw notFound();
  const passage = await findPassage(db, reader, found.row, chunkId);
  if (!passage) throw notFound();
  return { document: toDocumentView(found.row, found.ownerName, reader.userId), ...passage };
}

export interface NewDocument {
  ownerId: string;
  stored: StoredFile;
  filename: string;
  title: string;
  audience: DocumentAudience;
}

/**
 * Inserts a `queued` document and enqueues its ingestion inside `tx`, announcing it to the
 * owner; returns null when the owner already has a document with these bytes. Takes the
 * stored file's lock, so a delete of the same bytes cannot remove the file meanwhile.
 */
export async function insertDocument(
  deps: DocumentDeps,
  tx: Database,
  emit: Emit,
  input: NewDocument,
): Promise<{ row: DocumentRow; ownerName: string; created: boolean }> {
  await lockFile(tx, input.stored.sha256);
  const existing = await findOwnDocumentBySha(tx, input.ownerId, input.stored.sha256);
  if (existing) return { ...existing, created: false };
  if (!(await deps.store.exists(input.stored.sha256))) {
    // A delete of the same bytes removed the file between our write and this lock.
    throw new AppError('internal', 503, 'The file was removed while it was being saved; upload it again.');
  }
  const now = deps.clock.now();
  const [row] = await tx
    .insert(documents)
    .values({
      ownerId: input.ownerId,
      title: input.title,
      filename: input.filename,
      sizeBytes: input.stored.sizeBytes,
      sha256: input.stored.sha256,
      audience: input.audience,
      audienceRank: audienceRank[input.audience],
      status: 'queued',
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await enqueueIngestion(deps.queue, tx, row!);
  const [owner] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, input.ownerId));
  await announce(emit, row!, owner!.name);
  return { row: row!, ownerName: owner!.name, created: true };
}

/**
 * Creates the document for an upload already in the store: `queued`, its ingest job enqueued
 * in the same transaction, the worker woken after commit. 409 `document.duplicate` (with the
 * caller's existing `document` in the body) when the caller already has these bytes.
 */
export async function createDocument(
  deps: DocumentDeps,
  actor: Actor,
  input: Omit<NewDocument, 'ownerId'>,
): Promise<DocumentView> {
  let result: Awaited<ReturnType<typeof insertDocument>>;
  try {
    assertMayPublish(actor, input.audience);
    result = await withEvents(deps, (tx, emit) => insertDocument(deps, tx, emit, { ...input, ownerId: actor.userId }));
  } catch (error) {
    await removeUnreferencedFile(deps, input.stored.sha256);
    throw error;
  }
  const document = toDocumentView(result.row, result.ownerName, actor.userId);
  if (!result.created) {
    throw new AppError('document.duplicate', 409, 'You already uploaded this file.', undefined, undefined, {
      document,
    });
  }
  deps.wakeWorker();
  return document;
}

/**
 * Locks the document for a command by `actor`. 404 when they may not see it; 403 unless they
 * own it or are an admin and it is shared (admins manage every shared document, never another
 * user's private one — that one is a 404 already).
 */
async function lockManaged(tx: Database, actor: Actor, documentId: string) {
  const found = await findVisibleDocument(tx, actor, documentId, { lock: true });
  if (!found) throw notFound();
  const isOwner = found.row.ownerId === actor.userId;
  if (!isOwner && !(actor.role === 'admin' && found.row.audience !== 'private')) {
    throw forbidden('Only the owner, or an admin for a shared document, can do this.');
  }
  return found;
}

async function update(tx: Database, documentId: string, set: Partial<DocumentRow>): Promise<DocumentRow> {
  const [row] = await tx.update(documents).set(set).where(eq(documents.id, documentId)).returning();
  return row!;
}

const isActive = (status: DocumentStatus) => activeDocumentStatuses.includes(status);

/**
 * Stops ingestion of a queued or processing document: `cancelled`, its job cancelled (a worker
 * running it loses its lease and stops without writing), its chunks removed — a cancelled
 * document is never searched. 409 `document.wrong_status` otherwise.
 */
export async function cancelDocument(deps: DocumentDeps, actor: Actor, documentId: string): Promise<DocumentView> {
  return withEvents(deps, async (tx, emit) => {
    const { row, ownerName } = await lockManaged(tx, actor, documentId);
    if (!isActive(row.status)) throw wrongStatus('cancelled', 'queued or processing');
    await cancelIngestion(deps.queue, tx, row);
    await tx.delete(documentChunks).where(eq(documentChunks.documentId, row.id));
    const updated = await update(tx, row.id, {
      status: 'cancelled',
      progress: null,
      failure: null,
      chunkCount: 0,
      updatedAt: deps.clock.now(),
    });
    await announce(emit, updated, ownerName);
    return toDocumentView(updated, ownerName, actor.userId);
  });
}

/**
 * Queues the document again under a new generation (a job of the old one stops without
 * writing), with a new ingest job in the same transaction; wakes the worker after commit.
 * Chunks are replaced only when the new run reaches `ready`.
 */
async function requeue(
  deps: DocumentDeps,
  actor: Actor,
  documentId: string,
  rule: { from: readonly DocumentStatus[]; action: string; allowed: string; audit?: 'document.reindexed' },
): Promise<DocumentView> {
  const view = await withEvents(deps, async (tx, emit) => {
    const { row, ownerName } = await lockManaged(tx, actor, documentId);
    if (!rule.from.includes(row.status)) throw wrongStatus(rule.action, rule.allowed);
    const now = deps.clock.now();
    const updated = await update(tx, row.id, {
      status: 'queued',
      generation: row.generation + 1,
      progress: null,
      failure: null,
      updatedAt: now,
    });
    await enqueueIngestion(deps.queue, tx, updated);
    if (rule.audit) {
      await recordAudit(tx, {
        at: now,
        actorId: actor.userId,
        action: rule.audit,
        target: documentAuditTarget(row.id),
        detail: { title: row.title, ownerId: row.ownerId, generation: updated.generation },
        requestId: actor.requestId,
      });
    }
    await announce(emit, updated, ownerName);
    return toDocumentView(updated, ownerName, actor.userId);
  });
  deps.wakeWorker();
  return view;
}

/** A `failed` or `cancelled` document back to `queued` (see `requeue`); 409 `document.wrong_status` otherwise. */
export const retryDocument = (deps: DocumentDeps, actor: Actor, documentId: string) =>
  requeue(deps, actor, documentId, {
    from: ['failed', 'cancelled'],
    action: 'retried',
    allowed: 'failed or cancelled',
  });

/**
 * A `ready` document indexed again (see `requeue`), audited as `document.reindexed`. Its old
 * chunks stay searchable until the new ones replace them. 409 `document.wrong_status` otherwise.
 */
export const reindexDocument = (deps: DocumentDeps, actor: Actor, documentId: string) =>
  requeue(deps, actor, documentId, {
    from: ['ready'],
    action: 'reindexed',
    allowed: 'ready',
    audit: 'document.reindexed',
  });

/**
 * Changes who may read the document. Only its owner; a shared audience needs
 * `documents:share`, while an owner may always make their own document private (403
 * `auth.forbidden` otherwise). The rank is copied to the document, its chunks and their
 * embeddings, the audit entry (`document.audience_changed`, with `reason`) and the event are
 * written in one transaction, so no search ever sees the old rank on part of the document.
 * The same audience again changes nothing and records nothing.
 */
export async function changeAudience(
  deps: DocumentDeps,
  actor: Actor,
  documentId: string,
  change: { audience: DocumentAudience; reason?: string | undefined },
): Promise<DocumentView> {
  return withEvents(deps, async (tx, emit) => {
    const found = await findVisibleDocument(tx, actor, documentId, { lock: true });
    if (!found) throw notFound();
    const { row, ownerName } = found;
    if (row.ownerId !== actor.userId) throw forbidden('Only the owner can change who may read a document.');
    assertMayPublish(actor, change.audience);
    if (row.audience === change.audience) return toDocumentView(row, ownerName, actor.userId);
    const rank = audienceRank[change.audience];
    const now = deps.clock.now();
    const updated = await update(tx, row.id, { audience: change.audience, audienceRank: rank, updatedAt: now });
    await tx.update(documentChunks).set({ audienceRank: rank }).where(eq(documentChunks.documentId, row.id));
    if (await hasVectorSearch(tx)) await updateEmbeddingAccess(tx, row.id, rank);
    await recordAudit(tx, {
      at: now,
      actorId: actor.userId,
      action: 'document.audience_changed',
      target: documentAuditTarget(row.id),
      detail: {
        title: row.title,
        from: row.audience,
        to: change.audience,
        ...(change.reason ? { reason: change.reason } : {}),
      },
      requestId: actor.requestId,
    });
    await announce(emit, updated, ownerName);
    return toDocumentView(updated, ownerName, actor.userId);
  });
}

/**
 * Deletes the document: its jobs are removed (a worker running one loses its lease and stops
 * without writing), its chunks and their embeddings go with it (ON
 * DELETE CASCADE), `document.deleted` goes to the owner and `document.deleted` to the audit
 * log in the same transaction; then the stored file is removed unless another document (of any
 * owner) holds the same bytes. Answers already given keep their citation snapshots.
 */
export async function deleteDocument(deps: DocumentDeps, actor: Actor, documentId: string): Promise<void> {
  const sha256 = await withEvents(deps, async (tx, emit) => {
    const { row } = await lockManaged(tx, actor, documentId);
    await removeIngestionJobs(tx, row.id);
    await tx.delete(documents).where(eq(documents.id, row.id));
    await recordAudit(tx, {
      at: deps.clock.now(),
      actorId: actor.userId,
      action: 'document.deleted',
      target: documentAuditTarget(row.id),
      detail: { title: row.title, ownerId: row.ownerId, audience: row.audience, sha256: row.sha256 },
      requestId: actor.requestId,
    });
    await emit.toUser(row.ownerId, { type: 'document.deleted', documentId: row.id });
    return row.sha256;
  });
  await removeUnreferencedFile(deps, sha256);
}

/** Removes the stored file when no document names it, under the file's lock (an upload of the same bytes waits). */
async function removeUnreferencedFile(deps: DocumentDeps, sha256: string): Promise<void> {
  try {
    await deps.db.transaction(async (tx) => {
      await lockFile(tx, sha256);
      if ((await countDocumentsWithSha(tx, sha256)) === 0) await deps.store.remove(sha256);
    });
  } catch (error) {
    // The document is gone either way; a file left behind is only disk space.
    deps.logger.warn('could not remove a stored file', { sha256, error: (error as Error).message });
  }
}
