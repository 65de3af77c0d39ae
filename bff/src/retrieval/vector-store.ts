import { type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/index.js';
import { type Reader, visibleTo } from '../documents/access.js';

/**
 * The pgvector tables (migration 0007 creates them only where the extension exists): embeddings
 * of chunks (with the chunk's owner and audience rank, for the access rule) and a cache of
 * embeddings by `(model, content sha256)` so reindexing unchanged text costs nothing.
 * Everything here is raw SQL: the tables are outside the drizzle schema because they are optional.
 */

/** pgvector's text form of a vector: `[0.1,0.2,…]`. */
export function vectorLiteral(values: readonly number[]): string {
  if (values.length === 0 || values.some((v) => !Number.isFinite(v))) {
    throw new Error('an embedding must be a non-empty list of finite numbers');
  }
  return `[${values.join(',')}]`;
}

export async function readCachedEmbeddings(
  db: Database,
  model: string,
  sha256s: readonly string[],
): Promise<Map<string, number[]>> {
  if (sha256s.length === 0) return new Map();
  const rows = await queryRows<{ sha: string; embedding: string }>(
    db,
    sql`select content_sha256 as sha, embedding::text as embedding from embedding_cache
        where model = ${model} and content_sha256 in ${inList([...new Set(sha256s)])}`,
  );
  return new Map(rows.map((r) => [r.sha, JSON.parse(r.embedding) as number[]]));
}

export async function cacheEmbeddings(
  db: Database,
  model: string,
  entries: readonly { sha256: string; embedding: readonly number[] }[],
): Promise<void> {
  for (const batch of batches(entries, 200)) {
    const values = batch.map((e) => sql`(${model}, ${e.sha256}, ${vectorLiteral(e.embedding)}::vector)`);
    await db.execute(
      sql`insert into embedding_cache (model, content_sha256, embedding) values ${sql.join(values, sql`, `)}
          on conflict do nothing`,
    );
  }
}

export interface ChunkEmbedding {
  chunkId: string;
  ownerId: string;
  audienceRank: number;
  embedding: readonly number[];
}

/** Writes embeddings of chunks just inserted (inside the caller's transaction). */
export async function insertChunkEmbeddings(tx: Database, model: string, rows: readonly ChunkEmbedding[]) {
  for (const batch of batches(rows, 200)) {
    const values = batch.map(
      (r) =>
        sql`(${r.chunkId}, ${r.ownerId}, ${r.audienceRank}, ${model}, ${r.embedding.length}, ${vectorLiteral(r.embedding)}::vector)`,
    );
    await tx.execute(
      sql`insert into chunk_embeddings (chunk_id, owner_id, audience_rank, model, dims, embedding)
          values ${sql.join(values, sql`, `)}`,
    );
  }
}

/** Keeps embeddings' copy of the access columns in step with their document (same transaction). */
export async function updateEmbeddingAccess(tx: Database, documentId: string, audienceRank: number) {
  await tx.execute(
    sql`update chunk_embeddings set audience_rank = ${audienceRank}
        where chunk_id in (select id from document_chunks where document_id = ${documentId})`,
  );
}

const ensuredDims = new WeakMap<Database, Set<number>>();

/**
 * An HNSW index (cosine) for one dimension, as a partial expression index: the column is an
 * untyped `vector` because the dimension depends on the embedding model. Made once per
 * dimension, before the first vectors of that size are written, so it never blocks a query.
 */
export async function ensureVectorIndex(db: Database, dims: number): Promise<void> {
  if (!Number.isInteger(dims) || dims < 1 || dims > 16_000) throw new Error(`unsupported dimension ${dims}`);
  const done = ensuredDims.get(db) ?? new Set<number>();
  ensuredDims.set(db, done);
  if (done.has(dims)) return;
  await db.execute(
    sql.raw(
      `create index if not exists chunk_embeddings_hnsw_${dims} on chunk_embeddings
       using hnsw ((embedding::vector(${dims})) vector_cosine_ops) where dims = ${dims}`,
    ),
  );
  done.add(dims);
}

/**
 * The `limit` chunks nearest to `query` (cosine distance) among those the reader may see: the
 * access rule is in the WHERE of the index scan. With pgvector ≥ 0.8 `hnsw.iterative_scan`
 * keeps scanning when the filter removes rows, so a filtered search still returns `limit` rows.
 * Returns `{ chunkId, similarity }` best first (similarity = 1 − cosine distance).
 */
export async function nearestChunks(
  db: Database,
  reader: Reader,
  model: string,
  query: readonly number[],
  limit: number,
): Promise<{ chunkId: string; similarity: number }[]> {
  const dims = query.length;
  const q = vectorLiteral(query);
  const cast = sql.raw(`::vector(${dims})`);
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local hnsw.iterative_scan = strict_order`);
    await tx.execute(sql`set local hnsw.ef_search = ${sql.raw(String(Math.max(40, limit * 2)))}`);
    const rows = await queryRows<{ chunk_id: string; distance: number }>(
      tx,
      sql`select e.chunk_id, (e.embedding${cast} <=> ${q}${cast}) as distance
          from chunk_embeddings e
          where e.dims = ${dims} and e.model = ${model} and ${visibleTo(reader, 'e')}
          order by e.embedding${cast} <=> ${q}${cast}
          limit ${limit}`,
    );
    return rows.map((r) => ({ chunkId: r.chunk_id, similarity: 1 - Number(r.distance) }));
  });
}

function inList(values: readonly string[]): SQL {
  return sql`(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}

function* batches<T>(items: readonly T[], size: number): Generator<readonly T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
