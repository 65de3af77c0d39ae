import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { audienceRank, type DocumentStatus, type DocumentView } from '@atrium/contracts';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { type OpenDatabase, queryRows } from '../db/index.js';
import { documentChunks, documents, jobs, type UserRow } from '../db/schema/index.js';
import { createDocumentStore, type DocumentStore } from '../documents/store.js';
import { createJobQueue, type JobQueue } from '../jobs/queue.js';
import { createWorker } from '../jobs/worker.js';
import { createLogger } from '../logger.js';
import { readUserEvents } from '../realtime/event-log.js';
import { createInProcessBus } from '../realtime/in-process-bus.js';
import {
  deflatedRepeat,
  docxParts,
  makeEmptyPagesPdf,
  makeEncryptedPdf,
  makeImageOnlyPdf,
  makePdf,
  makeZip,
} from '../testing/document-fixtures.js';
import { createManualClock, type ManualClock } from '../testing/manual-clock.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUser } from '../users/accounts.js';
import {
  type EmbedChunks,
  enqueueIngestion,
  type IngestDeps,
  ingestJobHandler,
  ingestQueue,
  type PreparedChunk,
} from './pipeline.js';

let database: OpenDatabase;
let dir: string;
let store: DocumentStore;
let clock: ManualClock;
let queue: JobQueue;
let owner: UserRow;
const logger = createLogger('silent');
const bus = createInProcessBus();

beforeAll(async () => {
  database = await openTestDatabase(loadConfig().database);
  dir = mkdtempSync(path.join(tmpdir(), 'atrium-ingest-'));
  store = createDocumentStore({ dir });
  owner = await createUser(database.db, {
    email: 'owner@example.com',
    role: 'user',
    password: 'a perfectly long password',
    displayName: 'Olive Owner',
    now: new Date('2030-01-01T09:00:00Z'),
  });
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await database.db.delete(jobs);
  await database.db.delete(documents);
  clock = createManualClock();
  queue = createJobQueue({ db: database.db, clock, backoff: { baseMs: 1_000, maxMs: 1_000 } });
});

const deps = (overrides: Partial<IngestDeps> = {}): IngestDeps => ({
  db: database.db,
  bus,
  clock,
  logger,
  store,
  embed: null,
  maxPages: 2_000,
  ...overrides,
});

const workerFor = (d: IngestDeps, leaseMs = 60_000) =>
  createWorker({ queue, handlers: { [ingestQueue]: ingestJobHandler(d) }, logger, concurrency: 2, leaseMs });

/** What the upload does: store the bytes, then the row and its job in one transaction. */
async function upload(bytes: Uint8Array, filename: string) {
  const stored = await store.write(bytes);
  const now = clock.now();
  return database.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(documents)
      .values({
        ownerId: owner.id,
        title: filename,
        filename,
        sizeBytes: stored.sizeBytes,
        sha256: stored.sha256,
        audience: 'private',
        audienceRank: audienceRank.private,
        status: 'queued',
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await enqueueIngestion(queue, tx, row!);
    return row!;
  });
}

const documentRow = async (id: string) => (await database.db.select().from(documents).where(eq(documents.id, id)))[0]!;
const chunksOf = (id: string) =>
  database.db
    .select()
    .from(documentChunks)
    .where(eq(documentChunks.documentId, id))
    .orderBy(asc(documentChunks.ordinal));

/** The `document.updated` events the owner received for `id`, oldest first. */
async function updates(id: string): Promise<DocumentView[]> {
  const events = await readUserEvents(database.db, owner.id, 0, { limit: 1_000 });
  return events.flatMap((e) =>
    e.event.type === 'document.updated' && e.event.document.id === id ? [e.event.document] : [],
  );
}
const statuses = async (id: string): Promise<DocumentStatus[]> => (await updates(id)).map((d) => d.status);

const guide = [
  '# Account guide',
  '',
  'Everything about your account.',
  '',
  '## Reset your password',
  '',
  'Open Settings, then Security, and choose Reset password.',
  '',
  '## 重置密码',
  '',
  '打开设置，选择安全，然后点击重置密码。',
].join('\n');

describe('ingestion pipeline', () => {
  it('takes a Markdown file from queued to ready: chunks with heading paths and offsets, searchable, each step announced', async () => {
    const doc = await upload(new TextEncoder().encode(guide), 'guide.md');
    expect(await workerFor(deps()).runOnce()).toBe(1);

    const row = await documentRow(doc.id);
    expect(row).toMatchObject({
      status: 'ready',
      mediaType: 'text/markdown',
      chunkCount: 3,
      failure: null,
      progress: null,
    });
    const chunks = await chunksOf(doc.id);
    expect(chunks.map((c) => [c.ordinal, c.headingPath, c.text])).toEqual([
      [0, ['Account guide'], 'Account guide\n\nEverything about your account.'],
      [
        1,
        ['Account guide', 'Reset your password'],
        'Reset your password\n\nOpen Settings, then Security, and choose Reset password.',
      ],
      [2, ['Account guide', '重置密码'], '重置密码\n\n打开设置，选择安全，然后点击重置密码。'],
    ]);
    expect(
      chunks.every((c) => c.ownerId === owner.id && c.audienceRank === audienceRank.private && c.page === null),
    ).toBe(true);
    expect(chunks[1]!.charStart).toBe(chunks[0]!.charEnd + 2);

    const hits = await queryRows<{ ordinal: number }>(
      database.db,
      sql`select ordinal from document_chunks where search_vector @@ to_tsquery('simple', '密码') order by ordinal`,
    );
    expect(hits.map((h) => h.ordinal)).toEqual([2]);

    expect(await statuses(doc.id)).toEqual(['parsing', 'chunking', 'ready']);
    expect((await updates(doc.id)).at(-1)).toMatchObject({
      status: 'ready',
      chunkCount: 3,
      ownerName: 'Olive Owner',
      mine: true,
      mediaType: 'text/markdown',
    });
    expect((await database.db.select().from(jobs))[0]!.status).toBe('done');
  });

  it('embeds through the port when one is configured, reporting progress, and stores vectors with the chunks', async () => {
    const written: { chunkIds: string[]; chunksVisible: number }[] = [];
    const embed: EmbedChunks = async (chunks, { onProgress }) => {
      await onProgress(1);
      await onProgress(chunks.length);
      return {
        write: async (tx, rows) => {
          const [visible] = await queryRows<{ n: number }>(
            tx,
            sql`select count(*)::int as n from document_chunks where id in ${rows.map((r) => r.id)}`,
          );
          written.push({ chunkIds: rows.map((r) => r.id), chunksVisible: visible!.n });
        },
      };
    };
    const doc = await upload(new TextEncoder().encode(guide), 'guide.md');
    await workerFor(deps({ embed })).runOnce();

    expect(await statuses(doc.id)).toEqual(['parsing', 'chunking', 'embedding', 'embedding', 'embedding', 'ready']);
    expect((await updates(doc.id)).map((d) => d.progress)).toEqual([
      null,
      null,
      { done: 0, total: 3 },
      { done: 1, total: 3 },
      { done: 3, total: 3 },
      null,
    ]);
    const chunkIds = (await chunksOf(doc.id)).map((c) => c.id);
    // Written in the transaction that stored the chunks: they exist when the vectors are written.
    expect(written).toEqual([{ chunkIds, chunksVisible: 3 }]);
  });

  it('reads a PDF with its pages', async () => {
    const pdf = await makePdf([
      { heading: 'Shipping', lines: ['Orders ship within two days.'] },
      { heading: 'Returns', lines: ['Returns are free for thirty days.'] },
    ]);
    const doc = await upload(pdf, 'policies.pdf');
    await workerFor(deps()).runOnce();
    expect(await documentRow(doc.id)).toMatchObject({ status: 'ready', mediaType: 'application/pdf', pageCount: 2 });
    expect((await chunksOf(doc.id)).map((c) => [c.page, c.headingPath])).toEqual([
      [1, ['Shipping']],
      [2, ['Returns']],
    ]);
  });

  it('ends a bad file failed with its reason, no chunks, and no retry', async () => {
    const exe = new Uint8Array(1024);
    exe.set([0x4d, 0x5a, 0x90, 0x00]);
    const cases: [string, Uint8Array, string][] = [
      ['empty.txt', new Uint8Array(0), 'document.no_text'],
      ['setup.pdf', exe, 'document.unsupported_type'],
      ['locked.pdf', makeEncryptedPdf(), 'document.encrypted'],
      ['scan.pdf', await makeImageOnlyPdf(), 'document.no_text'],
      ['huge.pdf', await makeEmptyPagesPdf(3_000), 'document.too_many_pages'],
      [
        'bomb.docx',
        makeZip(docxParts(await deflatedRepeat('word/document.xml', 80 * 1024 * 1024))),
        'document.too_large',
      ],
    ];
    const uploaded = [];
    for (const [filename, bytes] of cases) uploaded.push(await upload(bytes, filename));
    const worker = workerFor(deps());
    while ((await worker.runOnce()) > 0);

    for (const [i, [filename, , code]] of cases.entries()) {
      const row = await documentRow(uploaded[i]!.id);
      expect(row.status, filename).toBe('failed');
      expect(row.failure?.code, filename).toBe(code);
      expect(row.chunkCount).toBe(0);
      expect(await chunksOf(row.id)).toEqual([]);
      expect((await updates(row.id)).at(-1)!.failure).toEqual(row.failure);
    }
    const jobRows = await database.db.select().from(jobs);
    expect(jobRows.map((j) => [j.status, j.attempts])).toEqual(cases.map(() => ['done', 1]));
  });

  it('stops without writing when the document was reindexed (new generation) or cancelled before the job ran', async () => {
    const reindexed = await upload(new TextEncoder().encode('First words.'), 'a.txt');
    const cancelled = await upload(new TextEncoder().encode('Other words.'), 'b.txt');
    await database.db.update(documents).set({ generation: 2 }).where(eq(documents.id, reindexed.id));
    await database.db.update(documents).set({ status: 'cancelled' }).where(eq(documents.id, cancelled.id));
    const worker = workerFor(deps());
    while ((await worker.runOnce()) > 0);

    expect(await documentRow(reindexed.id)).toMatchObject({ status: 'queued', generation: 2, chunkCount: 0 });
    expect((await documentRow(cancelled.id)).status).toBe('cancelled');
    expect(await updates(reindexed.id)).toEqual([]);
    expect(await updates(cancelled.id)).toEqual([]);
    expect(await database.db.select().from(documentChunks)).toEqual([]);
  });

  it('writes no chunks when the document is reindexed while its job is embedding', async () => {
    const doc = await upload(new TextEncoder().encode(guide), 'guide.md');
    const embed: EmbedChunks = async () => {
      await database.db.update(documents).set({ generation: 2, status: 'queued' }).where(eq(documents.id, doc.id));
      return { write: async () => undefined };
    };
    await workerFor(deps({ embed })).runOnce();
    expect(await documentRow(doc.id)).toMatchObject({ status: 'queued', generation: 2, chunkCount: 0 });
    expect(await chunksOf(doc.id)).toEqual([]);
    expect(await statuses(doc.id)).toEqual(['parsing', 'chunking', 'embedding']);
  });

  it('resumes after a crash mid-ingestion: another worker finishes, the document is ready once, chunks not duplicated', async () => {
    const doc = await upload(new TextEncoder().encode(guide), 'guide.md');
    let releaseCrashed!: () => void;
    const stuck = new Promise<void>((resolve) => {
      releaseCrashed = resolve;
    });
    const crashing = workerFor(
      deps({
        embed: async (chunks: readonly PreparedChunk[]) => {
          await stuck; // the process "dies" here, mid-embedding
          return { write: async () => undefined, chunks };
        },
      }),
      5_000,
    );
    const crashedAttempt = crashing.runOnce();
    await expect.poll(async () => (await documentRow(doc.id)).status).toBe('embedding');
    await crashing.stop({ graceMs: 0 }); // abandoned: its lease is no longer renewed

    const survivor = workerFor(deps({ embed: async () => ({ write: async () => undefined }) }));
    expect(await survivor.runOnce()).toBe(0); // the lease still holds
    clock.advance(5_001);
    expect(await survivor.runOnce()).toBe(1);
    // The crashed attempt wakes up late: it must write nothing.
    releaseCrashed();
    await crashedAttempt;

    expect(await documentRow(doc.id)).toMatchObject({ status: 'ready', chunkCount: 3 });
    const chunks = await chunksOf(doc.id);
    expect(chunks.map((c) => c.ordinal)).toEqual([0, 1, 2]);
    expect(await statuses(doc.id)).toEqual([
      'parsing',
      'chunking',
      'embedding',
      'parsing',
      'chunking',
      'embedding',
      'ready',
    ]);
    expect(await database.db.select({ status: jobs.status, attempts: jobs.attempts }).from(jobs)).toEqual([
      { status: 'done', attempts: 2 },
    ]);
  });

  it('retries a failing embedding model with backoff, then fails the document as document.embedding_failed', async () => {
    const doc = await upload(new TextEncoder().encode(guide), 'guide.md');
    let calls = 0;
    const worker = workerFor(
      deps({
        embed: async () => {
          calls += 1;
          throw new Error('503 from the embeddings endpoint');
        },
      }),
    );
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect(await worker.runOnce()).toBe(1);
      clock.advance(1_000);
    }
    expect(calls).toBe(5);
    expect(await documentRow(doc.id)).toMatchObject({
      status: 'failed',
      failure: {
        code: 'document.embedding_failed',
        message: 'The embedding model could not be reached after several attempts. Retry later.',
      },
    });
    expect((await database.db.select().from(jobs))[0]).toMatchObject({
      status: 'failed',
      lastError: { code: 'document.embedding_failed', message: '503 from the embeddings endpoint' },
    });
    expect(await chunksOf(doc.id)).toEqual([]);
  });

  it('fails the document when its job dies with the worker on the last attempt', async () => {
    const doc = await upload(new TextEncoder().encode(guide), 'guide.md');
    const [job] = await database.db.select().from(jobs);
    await ingestJobHandler(deps()).onDead!(job!, { code: 'job.lease_expired', message: 'The worker stopped.' });
    expect(await documentRow(doc.id)).toMatchObject({
      status: 'failed',
      failure: { code: 'document.internal', message: 'Processing failed after several attempts. Retry the document.' },
    });
  });
});
