import { audienceRank } from '@atrium/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents } from '../db/schema/index.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { enqueueIngestion } from './pipeline.js';

async function enqueueNote(app: TestApp) {
  const me = await app.createUser({ email: 'writer@example.com' });
  const stored = await app.ingestion.store.write(new TextEncoder().encode('A short note about refunds.'));
  const now = app.clock.now();
  return app.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(documents)
      .values({
        ownerId: me.id,
        title: 'Note',
        filename: 'note.txt',
        sizeBytes: stored.sizeBytes,
        sha256: stored.sha256,
        audience: 'private',
        audienceRank: audienceRank.private,
        status: 'queued',
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await enqueueIngestion(app.ingestion.queue, tx, row!);
    return row!;
  });
}

const statusOf = async (app: TestApp, id: string) =>
  (await app.db.select({ status: documents.status }).from(documents).where(eq(documents.id, id)))[0]!.status;

describe('ingestion in the BFF process (ATRIUM_WORKER=inline, the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("ingests an enqueued document without anything else running, storing its files in the test's own directory", async () => {
    const doc = await enqueueNote(t);
    t.ingestion.worker.wake();
    await expect.poll(() => statusOf(t, doc.id), { timeout: 15_000 }).toBe('ready');
    expect(t.ingestion.store.dir.startsWith(t.staticDir)).toBe(false);
    expect(t.ingestion.store.dir).toContain('atrium-documents-');
  });
});

describe('ingestion left to a worker process (ATRIUM_WORKER=off)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { ATRIUM_WORKER: 'off' } });
  });
  afterAll(() => t.close());

  it('does not poll: the document waits until a worker runs', async () => {
    const doc = await enqueueNote(t);
    expect(await statusOf(t, doc.id)).toBe('queued');
    expect(t.ingestion.worker.running).toBe(0);
    expect(await t.ingestion.worker.runOnce()).toBe(1);
    expect(await statusOf(t, doc.id)).toBe('ready');
  });
});
