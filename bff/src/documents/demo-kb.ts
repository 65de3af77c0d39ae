import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type DemoManifest, demoManifestSchema } from '@atrium/contracts';
import { sql } from 'drizzle-orm';
import { withEvents } from '../realtime/event-log.js';
import { anyDocumentWithSha } from './repository.js';
import { type DocumentDeps, insertDocument } from './service.js';

/** Advisory lock (arbitrary, fixed): two instances starting together seed once. */
const seedLock = 7_261_851;

export type SeedOutcome = { seeded: number } | { skipped: 'already_seeded' };

/** `manifest.json` of a demo knowledge base folder, checked with contracts' `demoManifestSchema`. */
export async function readDemoManifest(dir: string): Promise<DemoManifest> {
  return demoManifestSchema.parse(JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')));
}

/**
 * Loads the demo knowledge base (`ATRIUM_SEED_DEMO_KB`, issue 9 item 7) from `dir`
 * (`bff/demo-kb`): each manifest entry becomes a document owned by `ownerId` (the bootstrap
 * admin) with the manifest's title and audience, the way an upload does it (bytes into the
 * store, a `queued` row and its ingest job in one transaction), and the worker is woken.
 *
 * Idempotent: nothing happens when any document already holds one of the demo files, so a
 * restart does not bring back demo documents someone deleted; two instances serialise on an
 * advisory lock and the second finds the first one's rows.
 */
export async function seedDemoKnowledgeBase(deps: DocumentDeps, dir: string, ownerId: string): Promise<SeedOutcome> {
  const manifest = await readDemoManifest(dir);
  const files = await Promise.all(
    manifest.map(async (entry) => {
      const bytes = await readFile(path.join(dir, entry.file));
      return { entry, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
    }),
  );
  const outcome = await withEvents(deps, async (tx, emit): Promise<SeedOutcome> => {
    await tx.execute(sql`select pg_advisory_xact_lock(${seedLock})`);
    if (
      await anyDocumentWithSha(
        tx,
        files.map((f) => f.sha256),
      )
    )
      return { skipped: 'already_seeded' };
    let seeded = 0;
    for (const { entry, bytes } of files) {
      const stored = await deps.store.write(bytes);
      const { created } = await insertDocument(deps, tx, emit, {
        ownerId,
        stored,
        filename: entry.file,
        title: entry.title,
        audience: entry.audience,
      });
      if (created) seeded += 1;
    }
    return { seeded };
  });
  if ('seeded' in outcome) deps.wakeWorker();
  return outcome;
}
