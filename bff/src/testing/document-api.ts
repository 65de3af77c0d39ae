import { readdirSync } from 'node:fs';
import path from 'node:path';
import { type DocumentAudience, type DocumentView, documentResponseSchema } from '@atrium/contracts';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { queryRows } from '../db/index.js';
import { documents } from '../db/schema/index.js';
import type { Browser } from './browser.js';
import type { TestApp } from './test-app.js';

/** `POST /api/documents` as the upload-ui sends it; the response as it came. */
export function postDocument(
  browser: Browser,
  file: { filename: string; bytes: Uint8Array | string; audience?: DocumentAudience; title?: string },
  headers: Record<string, string> = {},
): Promise<Response> {
  const query = new URLSearchParams({ filename: file.filename });
  if (file.audience) query.set('audience', file.audience);
  if (file.title) query.set('title', file.title);
  const bytes = typeof file.bytes === 'string' ? new TextEncoder().encode(file.bytes) : file.bytes;
  return browser.upload(`/api/documents?${query}`, bytes, headers);
}

/** Uploads and expects 201; returns the new document (`queued`). */
export async function uploadDocument(
  browser: Browser,
  file: Parameters<typeof postDocument>[1],
): Promise<DocumentView> {
  const response = await postDocument(browser, file);
  if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  return documentResponseSchema.parse(await response.json()).document;
}

/** Runs the ingestion worker until no job is due (for apps made with `ATRIUM_WORKER=off`). */
export async function ingestAll(t: TestApp): Promise<void> {
  while ((await t.ingestion.worker.runOnce()) > 0) {
    // each pass runs the jobs it claimed to the end
  }
}

/** Files under the document store's directory `sub` (`tmp` while uploading, `sha256` once stored). */
export function storedFiles(t: TestApp, sub: 'tmp' | 'sha256'): string[] {
  try {
    return readdirSync(path.join(t.ingestion.store.dir, sub), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

/**
 * The store and the queue hold nothing a document does not account for: no temporary file, no
 * stored file that no document names, no job of a document that is gone, no chunk without its
 * document (the foreign key guarantees that one; checked anyway).
 */
export async function expectNoOrphans(t: TestApp): Promise<void> {
  expect(storedFiles(t, 'tmp')).toEqual([]);
  const named = new Set((await t.db.select({ sha256: documents.sha256 }).from(documents)).map((r) => r.sha256));
  expect(storedFiles(t, 'sha256').filter((file) => !named.has(file))).toEqual([]);
  const orphanJobs = await queryRows<{ key: string }>(
    t.db,
    sql`select j.key from jobs j where not exists (select 1 from documents d where j.key like d.id::text || ':%')`,
  );
  expect(orphanJobs).toEqual([]);
  const orphanChunks = await queryRows<{ id: string }>(
    t.db,
    sql`select c.id from document_chunks c where not exists (select 1 from documents d where d.id = c.document_id)`,
  );
  expect(orphanChunks).toEqual([]);
}
