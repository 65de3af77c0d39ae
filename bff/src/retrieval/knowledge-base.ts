import type { Config } from '../config.js';
import { type Database, hasVectorSearch } from '../db/index.js';
import type { EmbedChunks } from '../ingestion/pipeline.js';
import type { Logger } from '../logger.js';
import { createOpenAiEmbedder, type Embedder, embedWithCache } from './embeddings.js';
import { createRetriever, type Retriever } from './search.js';
import { ensureVectorIndex, insertChunkEmbeddings } from './vector-store.js';

/** What answers search and what ingestion embeds through, wired once from config for the BFF and the worker. */
export interface KnowledgeBase {
  retriever: Retriever;
  /** The ingestion pipeline's embedding port; null when documents are indexed for full-text only. */
  embedChunks: EmbedChunks | null;
}

/**
 * Vectors are used when an embedding model is configured AND the database has pgvector; either
 * missing → full-text only, as `retriever.mode` says (logged at start-up by main.ts, and in /readyz).
 * `embedder` is a test seam for the scripted `/embeddings` server.
 */
export async function createKnowledgeBase(options: {
  config: Config;
  db: Database;
  logger: Logger;
  embedder?: Embedder | null;
}): Promise<KnowledgeBase> {
  const { config, db, logger } = options;
  const embedder =
    options.embedder !== undefined
      ? options.embedder
      : config.retrieval.embedding
        ? createOpenAiEmbedder(config.retrieval.embedding)
        : null;
  const vectorTables = await hasVectorSearch(db);
  const retriever = createRetriever({ db, logger, embedder, vectorTables, topK: config.retrieval.topK });
  const embedChunks: EmbedChunks | null =
    retriever.mode.vector && embedder ? (chunks, run) => embedDocument(db, embedder, chunks, run) : null;
  return { retriever, embedChunks };
}

const progressBatch = 64;

const embedDocument: (db: Database, embedder: Embedder, ...args: Parameters<EmbedChunks>) => ReturnType<EmbedChunks> =
  async (db, embedder, chunks, { signal, onProgress }) => {
    const vectors = new Map<string, number[]>();
    for (let i = 0; i < chunks.length; i += progressBatch) {
      const batch = chunks.slice(i, i + progressBatch).map((c) => ({ sha256: c.contentSha256, text: c.text }));
      for (const [sha, vector] of await embedWithCache(db, embedder, batch, signal)) vectors.set(sha, vector);
      await onProgress(Math.min(chunks.length, i + progressBatch));
    }
    const dims = vectors.values().next().value?.length;
    if (dims) await ensureVectorIndex(db, dims);
    const bySha = new Map(chunks.map((c) => [c.id, c.contentSha256]));
    return {
      async write(tx, rows) {
        await insertChunkEmbeddings(
          tx,
          embedder.model,
          rows.flatMap((row) => {
            const embedding = vectors.get(bySha.get(row.id) ?? '');
            return embedding
              ? [{ chunkId: row.id, ownerId: row.ownerId, audienceRank: row.audienceRank, embedding }]
              : [];
          }),
        );
      },
    };
  };
