import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { documents, jobs, type UserRow } from '../db/schema/index.js';
import { createLogger } from '../logger.js';
import { ingestAll } from '../testing/document-api.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { firstAdmin } from '../users/accounts.js';
import { readDemoManifest, seedDemoKnowledgeBase } from './demo-kb.js';
import { type DocumentDeps, documentDeps } from './service.js';

const dir = loadConfig().documents.demoKbDir;
let t: TestApp;
let deps: DocumentDeps;
let admin: UserRow;

beforeAll(async () => {
  t = await createTestApp({ env: { ATRIUM_WORKER: 'off' } });
  admin = await t.createUser({ email: 'first-admin@example.com', role: 'admin' });
  t.clock.advance(1_000);
  await t.createUser({ email: 'second-admin@example.com', role: 'admin' });
  deps = documentDeps({
    db: t.db,
    bus: t.runtime.bus,
    clock: t.clock,
    logger: createLogger('silent'),
    config: { worker: { mode: 'off', ingestConcurrency: 1 } },
    ingestion: t.ingestion,
  });
});
afterAll(() => t.close());

describe('the demo knowledge base', () => {
  it('is loaded once for the first admin, even by two instances at once, as uploads are: stored, queued, then ready', async () => {
    expect((await firstAdmin(t.db))?.id).toBe(admin.id);
    const manifest = await readDemoManifest(dir);
    const outcomes = await Promise.all([
      seedDemoKnowledgeBase(deps, dir, admin.id),
      seedDemoKnowledgeBase(deps, dir, admin.id),
    ]);
    expect(outcomes).toContainEqual({ seeded: manifest.length });
    expect(outcomes).toContainEqual({ skipped: 'already_seeded' });

    const rows = await t.db.select().from(documents).orderBy(asc(documents.title));
    expect(rows).toHaveLength(manifest.length);
    expect(rows.every((row) => row.ownerId === admin.id && row.status === 'queued')).toBe(true);
    expect(rows.map((row) => [row.title, row.filename, row.audience]).sort()).toEqual(
      manifest.map((entry) => [entry.title, entry.file, entry.audience]).sort(),
    );
    for (const row of rows) expect(await t.ingestion.store.exists(row.sha256)).toBe(true);
    expect(await t.db.select().from(jobs).where(eq(jobs.status, 'queued'))).toHaveLength(manifest.length);

    await ingestAll(t);
    const settled = await t.db.select().from(documents);
    expect(settled.filter((row) => row.status !== 'ready').map((row) => [row.filename, row.failure])).toEqual([]);
    expect(settled.find((row) => row.filename.endsWith('.pdf'))?.pageCount).toBeGreaterThan(0);
    expect(settled.every((row) => row.chunkCount > 0)).toBe(true);
  });

  it('is not brought back on the next start once loaded, even when a demo document was deleted', async () => {
    const [one] = await t.db.select().from(documents).limit(1);
    await t.db.delete(documents).where(eq(documents.id, one!.id));
    expect(await seedDemoKnowledgeBase(deps, dir, admin.id)).toEqual({ skipped: 'already_seeded' });
    expect(await t.db.select().from(documents).where(eq(documents.sha256, one!.sha256))).toEqual([]);
  });
});
