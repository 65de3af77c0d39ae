import { createHash, randomUUID } from 'node:crypto';
import { activeDocumentStatuses, type DocumentFailure, documentFailureCodes } from '@atrium/contracts';
import { and, eq, inArray, like } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { type DocumentRow, documentChunks, documents, jobs, users } from '../db/schema/index.js';
import type { DocumentStore } from '../documents/store.js';
import { toDocumentView } from '../documents/views.js';
import type { JobError, JobQueue } from '../jobs/queue.js';
import type { JobHandler } from '../jobs/worker.js';
import type { Logger } from '../logger.js';
import { type EventDeps, withEvents } from '../realtime/event-log.js';
import { searchVector } from '../retrieval/tokenize.js';
import { type Chunk, type ChunkOptions, chunkBlocks } from './chunk.js';
import { detectType } from './detect-type.js';
import { extract } from './extract/index.js';
import { IngestionFailure } from './failure.js';

export const ingestQueue = 'ingest';

/** What an `ingest` job carries: the document and the generation it was enqueued for. */
export interface IngestPayload {
  documentId: string;
  generation: number;
}

/** One active job per document generation: a reindex (new generation) is a new job, a double enqueue is not. */
export const ingestJobKey = (documentId: string, generation: number) => `${documentId}:${generation}`;

/** Attempts before a document fails for good (transient errors only: a bad file fails at once). */
export const ingestMaxAttempts = 5;

/** Enqueues ingestion of `document` inside `tx`, the transaction that created it or bumped its generation. */
export function enqueueIngestion(queue: JobQueue, tx: Database, document: { id: string; generation: number }) {
  const payload: IngestPayload = { documentId: document.id, generation: document.generation };
  return queue.enqueue(
    tx,
    ingestQueue,
    { ...payload },
    {
      key: ingestJobKey(document.id, document.generation),
      maxAttempts: ingestMaxAttempts,
    },
  );
}

/** Cancels the queued or running job of `document`'s current generation inside `tx`. */
export function cancelIngestion(queue: JobQueue, tx: Database, document: { id: string; generation: number }) {
  return queue.cancelByKey(tx, ingestQueue, ingestJobKey(document.id, document.generation));
}

/**
 * Removes every ingest job of the document, of any generation and status, inside `tx`: for a
 * deleted document, so no job row outlives it. A worker running one loses its lease and stops.
 */
export async function removeIngestionJobs(tx: Database, documentId: string): Promise<void> {
  await tx.delete(jobs).where(and(eq(jobs.queue, ingestQueue), like(jobs.key, `${documentId}:%`)));
}

/** A chunk ready to store, with the id its row (and its vector) will have. */
export interface PreparedChunk extends Chunk {
  id: string;
  /** Hex SHA-256 of `text`: the embedding cache key. */
  contentSha256: string;
}

/** Vectors computed for a document's chunks, stored by `write` in the transaction that stores the chunks. */
export interface ChunkEmbeddings {
  write(tx: Database, chunks: readonly { id: string; ownerId: string; audienceRank: number }[]): Promise<void>;
}

/**
 * The embedding port (retrieval/embeddings.ts implements it): computes vectors for `chunks`
 * (batched, cached by `contentSha256`), calling `onProgress(done)` after each batch. A thrown
 * error fails the attempt (retried with backoff, then `document.embedding_failed`).
 */
export type EmbedChunks = (
  chunks: readonly PreparedChunk[],
  options: { signal: AbortSignal; onProgress(done: number): Promise<void> },
) => Promise<ChunkEmbeddings>;

export interface IngestDeps extends EventDeps {
  store: DocumentStore;
  /** Null: no embedding model, documents skip the `embedding` step (full-text only). */
  embed: EmbedChunks | null;
  /** `ATRIUM_PDF_MAX_PAGES`. */
  maxPages: number;
  logger: Logger;
  chunking?: ChunkOptions;
}

/** An embedding failure: worth retrying (the provider may be back), named for people once it is final. */
class EmbeddingError extends Error {
  readonly code = 'document.embedding_failed';
}

const insertBatch = 500;

/**
 * Writes a state change of the document in one transaction with its `document.updated` event,
 * only while the document is still this job's to change: same `generation`, still active (not
 * ready, failed, cancelled or deleted). The row is locked first, so `before` (replacing chunks)
 * sees it as it will stay. Returns the updated row, or null when the job must stop.
 */
async function transition(
  deps: IngestDeps,
  job: IngestPayload,
  signal: AbortSignal,
  set: Partial<Pick<DocumentRow, 'status' | 'mediaType' | 'pageCount' | 'progress' | 'failure' | 'chunkCount'>>,
  before?: (tx: Database, row: DocumentRow) => Promise<void>,
): Promise<DocumentRow | null> {
  signal.throwIfAborted();
  return withEvents(deps, async (tx, emit) => {
    const [locked] = await tx
      .select()
      .from(documents)
      .where(
        and(
          eq(documents.id, job.documentId),
          eq(documents.generation, job.generation),
          inArray(documents.status, [...activeDocumentStatuses]),
        ),
      )
      .for('update');
    if (!locked) return null;
    await before?.(tx, locked);
    const [row] = await tx
      .update(documents)
      .set({ ...set, updatedAt: deps.clock.now() })
      .where(eq(documents.id, locked.id))
      .returning();
    const [owner] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, row!.ownerId));
    await emit.toUser(row!.ownerId, {
      type: 'document.updated',
      document: toDocumentView(row!, owner?.name ?? '', row!.ownerId),
    });
    return row!;
  });
}

/** Ends the document `failed` with `failure`, removing any chunks (a failed document is never searched). */
function failDocument(deps: IngestDeps, job: IngestPayload, signal: AbortSignal, failure: DocumentFailure) {
  return transition(deps, job, signal, { status: 'failed', failure, progress: null, chunkCount: 0 }, (tx) =>
    tx
      .delete(documentChunks)
      .where(eq(documentChunks.documentId, job.documentId))
      .then(() => undefined),
  );
}

async function readBytes(store: DocumentStore, sha256: string): Promise<Uint8Array> {
  try {
    return await store.read(sha256);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
    throw new IngestionFailure('document.internal', 'The uploaded file is missing; upload it again.');
  }
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The `ingest` job: parsing → chunking → (embedding) → ready. Each step is idempotent: a retry
 * or a second worker after a crash starts again from parsing, and the chunks are only written
 * in the final transaction, which replaces the document's chunks and sets `ready` together —
 * never a half-indexed document. A job whose document changed generation, was cancelled or
 * deleted stops without writing. A bad file ends the document `failed` with its reason
 * (`IngestionFailure`) and the job done; other errors throw, so the attempt is retried.
 *
 * Returns what happened: `ready`, `failed` (the document, with a reason) or `stale`.
 */
export async function ingestDocument(
  deps: IngestDeps,
  job: IngestPayload,
  signal: AbortSignal,
): Promise<'ready' | 'failed' | 'stale'> {
  const started = await transition(deps, job, signal, { status: 'parsing', progress: null, failure: null });
  if (!started) return 'stale';
  try {
    const bytes = await readBytes(deps.store, started.sha256);
    const mediaType = await detectType(bytes, started.filename);
    const extracted = await extract(bytes, mediaType, { maxPages: deps.maxPages, signal });
    if (!(await transition(deps, job, signal, { status: 'chunking', mediaType, pageCount: extracted.pageCount }))) {
      return 'stale';
    }
    const chunks: PreparedChunk[] = chunkBlocks(extracted.blocks, deps.chunking).map((chunk) => ({
      ...chunk,
      id: randomUUID(),
      contentSha256: sha256Hex(chunk.text),
    }));
    if (chunks.length === 0) throw new IngestionFailure('document.no_text', 'The file holds no text.');

    let embeddings: ChunkEmbeddings | null = null;
    if (deps.embed) {
      const total = chunks.length;
      if (!(await transition(deps, job, signal, { status: 'embedding', progress: { done: 0, total } }))) return 'stale';
      try {
        embeddings = await deps.embed(chunks, {
          signal,
          onProgress: async (done) => {
            await transition(deps, job, signal, { progress: { done, total } });
          },
        });
      } catch (error) {
        if (signal.aborted) throw error;
        throw new EmbeddingError((error as Error).message, { cause: error });
      }
    }

    const ready = await transition(
      deps,
      job,
      signal,
      { status: 'ready', progress: null, failure: null, chunkCount: chunks.length },
      async (tx, row) => {
        await tx.delete(documentChunks).where(eq(documentChunks.documentId, row.id));
        for (let i = 0; i < chunks.length; i += insertBatch) {
          await tx.insert(documentChunks).values(
            chunks.slice(i, i + insertBatch).map((chunk, j) => ({
              id: chunk.id,
              documentId: row.id,
              ownerId: row.ownerId,
              audienceRank: row.audienceRank,
              ordinal: i + j,
              text: chunk.text,
              headingPath: chunk.headingPath,
              page: chunk.page,
              charStart: chunk.charStart,
              charEnd: chunk.charEnd,
              tokenCount: chunk.tokenCount,
              contentSha256: chunk.contentSha256,
              searchVector: searchVector(chunk.text),
            })),
          );
        }
        await embeddings?.write(
          tx,
          chunks.map((chunk) => ({ id: chunk.id, ownerId: row.ownerId, audienceRank: row.audienceRank })),
        );
      },
    );
    return ready ? 'ready' : 'stale';
  } catch (error) {
    if (!(error instanceof IngestionFailure) || signal.aborted) throw error;
    deps.logger.info('document failed', { documentId: job.documentId, failure: error.failure });
    return (await failDocument(deps, job, signal, error.failure)) ? 'failed' : 'stale';
  }
}

const isDocumentFailureCode = (code: string): code is DocumentFailure['code'] =>
  (documentFailureCodes as readonly string[]).includes(code);

/** What the owner reads when retries ran out; the technical detail stays in the job's `last_error` and the log. */
function finalFailure(error: JobError): DocumentFailure {
  if (error.code === 'document.embedding_failed') {
    return {
      code: error.code,
      message: 'The embedding model could not be reached after several attempts. Retry later.',
    };
  }
  if (isDocumentFailureCode(error.code) && error.code !== 'document.internal') {
    return { code: error.code, message: error.message };
  }
  return { code: 'document.internal', message: 'Processing failed after several attempts. Retry the document.' };
}

/** The worker's handler for the `ingest` queue (see `ingestDocument`); a dead job ends its document `failed`. */
export function ingestJobHandler(deps: IngestDeps): JobHandler<IngestPayload> {
  return {
    run: async (job, { signal }) => {
      const outcome = await ingestDocument(deps, job.payload, signal);
      deps.logger.debug('ingest job finished', { documentId: job.payload.documentId, outcome, attempt: job.attempts });
    },
    onDead: async (job, error) => {
      const payload = job.payload as unknown as IngestPayload;
      await failDocument(deps, payload, new AbortController().signal, finalFailure(error));
    },
  };
}
