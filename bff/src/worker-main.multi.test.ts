import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { audienceRank } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from './clock.js';
import { type OpenDatabase, openDatabase } from './db/index.js';
import { documents } from './db/schema/index.js';
import { createDocumentStore } from './documents/store.js';
import { enqueueIngestion } from './ingestion/pipeline.js';
import { createJobQueue } from './jobs/queue.js';
import { Browser } from './testing/browser.js';
import {
  type BffProcess,
  createScratchDatabase,
  requireServices,
  startBff,
  startWorker,
} from './testing/multi-instance.js';
import { SseReader } from './testing/sse-reader.js';
import { findUserByEmail } from './users/accounts.js';

/*
 * Production topology for ingestion: a BFF with ATRIUM_WORKER=off enqueues, a separate worker
 * process (worker-main.ts) ingests, and the BFF's event stream hears the worker's progress
 * through Redis.
 */

const origin = 'http://atrium.test';
const adminEmail = 'admin@atrium.test';
const adminPassword = 'a perfectly long admin password';

let dropDatabase: () => Promise<void>;
let documentDir: string;
let env: Record<string, string>;
let bff: BffProcess;
let database: OpenDatabase;

beforeAll(async () => {
  const { databaseUrl, redisUrl } = requireServices();
  const scratch = await createScratchDatabase(databaseUrl);
  dropDatabase = scratch.drop;
  documentDir = mkdtempSync(path.join(tmpdir(), 'atrium-worker-documents-'));
  env = {
    DATABASE_URL: scratch.url,
    REDIS_URL: redisUrl,
    ATRIUM_DOCUMENT_DIR: documentDir,
    ATRIUM_ADMIN_EMAIL: adminEmail,
    ATRIUM_ADMIN_PASSWORD: adminPassword,
    ATRIUM_PUBLIC_ORIGIN: origin,
    ATRIUM_SEED_LOCAL_REMOTES: 'false',
    LOG_LEVEL: 'info',
  };
  bff = await startBff({ ...env, ATRIUM_WORKER: 'off' });
  database = await openDatabase({ driver: 'postgres', url: scratch.url });
}, 120_000);

afterAll(async () => {
  await bff?.kill();
  await database?.close();
  await dropDatabase?.();
  rmSync(documentDir, { recursive: true, force: true });
});

describe('the worker process', () => {
  it('ingests what a BFF with ATRIUM_WORKER=off enqueued, its progress reaching the BFF live, and stops cleanly', async () => {
    const browser = new Browser(bff.target as never, { origin });
    expect((await browser.signIn(adminEmail, adminPassword)).status).toBe(200);
    const reader = new SseReader((await browser.fetch('GET', '/api/events')).body!);
    await reader.untilComment('live');

    const worker = await startWorker(env);
    // What the upload route does: the bytes into the shared store, then the row and its job in one transaction.
    const admin = (await findUserByEmail(database.db, adminEmail))!;
    const stored = await createDocumentStore({ dir: documentDir }).write(
      new TextEncoder().encode('# Returns\n\nReturns are free for thirty days.\n'),
    );
    const queue = createJobQueue({ db: database.db, clock: systemClock });
    const now = new Date();
    const doc = await database.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(documents)
        .values({
          ownerId: admin.id,
          title: 'Returns',
          filename: 'returns.md',
          sizeBytes: stored.sizeBytes,
          sha256: stored.sha256,
          audience: 'everyone',
          audienceRank: audienceRank.everyone,
          status: 'queued',
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await enqueueIngestion(queue, tx, row!);
      return row!;
    });

    const seen = await reader.until(
      (e) => e.type === 'document.updated' && e.document.id === doc.id && e.document.status === 'ready',
    );
    expect(seen.flatMap((s) => (s.event.type === 'document.updated' ? [s.event.document.status] : []))).toEqual([
      'parsing',
      'chunking',
      'ready',
    ]);
    expect(seen.at(-1)!.event).toMatchObject({ document: { chunkCount: 1, mediaType: 'text/markdown', mine: true } });
    await reader.close();

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  });

  it('refuses to start on the embedded database', async () => {
    const { DATABASE_URL: _, ...withoutPostgres } = env;
    await expect(startWorker({ ...withoutPostgres, ATRIUM_DATA_DIR: 'memory://' }, 'never printed')).rejects.toThrow(
      /exited with 1:\nThe worker process needs DATABASE_URL/,
    );
  });
});
