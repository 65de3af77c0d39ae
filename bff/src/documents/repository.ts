import type { DocumentAudience, DocumentStatus, Passage } from '@atrium/contracts';
import { and, asc, count, desc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { type DocumentChunkRow, type DocumentRow, documentChunks, documents, users } from '../db/schema/index.js';
import { documentListCursor } from '../page-cursor.js';
import { type Reader, visibleTo } from './access.js';

/*
 * Every read names the reader: the access rule (`visibleTo`) is in the SQL, so a document the
 * reader may not see matches nothing and looks exactly like one that does not exist.
 */

/** A document row with its owner's display name (what the view shows as `ownerName`). */
export interface OwnedDocument {
  row: DocumentRow;
  ownerName: string;
}

export interface DocumentPage {
  documents: OwnedDocument[];
  nextCursor: string | null;
}

export interface ListDocumentsQuery {
  cursor?: string | undefined;
  limit: number;
  /** Matches title or filename, case-insensitively, as literal text. */
  q?: string | undefined;
  status?: DocumentStatus | undefined;
  audience?: DocumentAudience | undefined;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

const withOwner = (db: Database) =>
  db
    .select({ row: documents, ownerName: users.displayName })
    .from(documents)
    .innerJoin(users, eq(users.id, documents.ownerId));

/**
 * The documents `reader` may see, newest first, `limit` at a time; `cursor` (from the previous
 * page's `nextCursor`) continues after it. Throws 400 `request.invalid` for a forged cursor.
 */
export async function listDocuments(db: Database, reader: Reader, query: ListDocumentsQuery): Promise<DocumentPage> {
  const conditions: SQL[] = [visibleTo(reader, 'documents')];
  if (query.q) {
    const pattern = `%${escapeLike(query.q)}%`;
    conditions.push(or(ilike(documents.title, pattern), ilike(documents.filename, pattern))!);
  }
  if (query.status) conditions.push(eq(documents.status, query.status));
  if (query.audience) conditions.push(eq(documents.audience, query.audience));
  if (query.cursor) {
    const after = documentListCursor.decode(query.cursor);
    conditions.push(
      sql`(${documents.createdAt}, ${documents.id}) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`,
    );
  }
  const rows = await withOwner(db)
    .where(and(...conditions))
    .orderBy(desc(documents.createdAt), desc(documents.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    documents: page,
    nextCursor: rows.length > query.limit && last ? documentListCursor.encode(last.row.createdAt, last.row.id) : null,
  };
}

/**
 * The document if `reader` may see it, else null. `lock` takes the row `FOR UPDATE`, the same
 * lock the ingestion pipeline takes before each step, so a command and a step never interleave.
 */
export async function findVisibleDocument(
  db: Database,
  reader: Reader,
  documentId: string,
  options: { lock?: boolean } = {},
): Promise<OwnedDocument | null> {
  const query = withOwner(db).where(and(eq(documents.id, documentId), visibleTo(reader, 'documents')));
  const [found] = options.lock ? await query.for('update', { of: documents }) : await query;
  return found ?? null;
}

/** The owner's document holding exactly these bytes (the duplicate check), else null. */
export async function findOwnDocumentBySha(db: Database, ownerId: string, sha256: string) {
  const [found] = await withOwner(db).where(and(eq(documents.ownerId, ownerId), eq(documents.sha256, sha256)));
  return found ?? null;
}

/** How many documents, of any owner, name the stored file `sha256` (it is removed only at 0). */
export async function countDocumentsWithSha(db: Database, sha256: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(documents).where(eq(documents.sha256, sha256));
  return Number(row?.n ?? 0);
}

/** Whether any document of any owner holds one of these files. */
export async function anyDocumentWithSha(db: Database, sha256s: readonly string[]): Promise<boolean> {
  if (sha256s.length === 0) return false;
  const [row] = await db
    .select({ id: documents.id })
    .from(documents)
    .where(inArray(documents.sha256, [...sha256s]))
    .limit(1);
  return Boolean(row);
}

const toPassage = (chunk: DocumentChunkRow, documentTitle: string): Passage => ({
  chunkId: chunk.id,
  documentId: chunk.documentId,
  documentTitle,
  headingPath: chunk.headingPath,
  page: chunk.page,
  charStart: chunk.charStart,
  charEnd: chunk.charEnd,
  text: chunk.text,
});

/**
 * A chunk of `document` with the chunks just before and after it (by ordinal), each filtered
 * by the access rule again in its own SQL. Null when the chunk is not the document's or the
 * reader may not see it.
 */
export async function findPassage(
  db: Database,
  reader: Reader,
  document: DocumentRow,
  chunkId: string,
): Promise<{ passage: Passage; before: Passage | null; after: Passage | null } | null> {
  const visible = and(eq(documentChunks.documentId, document.id), visibleTo(reader, 'document_chunks'));
  const [chunk] = await db
    .select()
    .from(documentChunks)
    .where(and(eq(documentChunks.id, chunkId), visible));
  if (!chunk) return null;
  const neighbours = await db
    .select()
    .from(documentChunks)
    .where(and(visible, inArray(documentChunks.ordinal, [chunk.ordinal - 1, chunk.ordinal + 1])))
    .orderBy(asc(documentChunks.ordinal));
  const at = (ordinal: number) => neighbours.find((n) => n.ordinal === ordinal);
  const before = at(chunk.ordinal - 1);
  const after = at(chunk.ordinal + 1);
  return {
    passage: toPassage(chunk, document.title),
    before: before ? toPassage(before, document.title) : null,
    after: after ? toPassage(after, document.title) : null,
  };
}
