import OpenAI from 'openai';
import type { RetrievalConfig } from '../config.js';
import type { Database } from '../db/index.js';
import { cacheEmbeddings, readCachedEmbeddings } from './vector-store.js';

/** The port chunks and questions are embedded through; the only implementation speaks OpenAI's `/embeddings`. */
export interface Embedder {
  model: string;
  /** One vector per text, in order. Throws `EmbeddingError` when the provider fails or answers nonsense. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
}

export class EmbeddingError extends Error {
  override name = 'EmbeddingError';
}

/** Texts per `/embeddings` request: OpenAI accepts up to 2,048 inputs; smaller batches keep a retry cheap. */
export const embeddingBatchSize = 64;

export function createOpenAiEmbedder(config: NonNullable<RetrievalConfig['embedding']>): Embedder {
  const client = new OpenAI({
    apiKey: config.apiKey ?? 'not-needed',
    baseURL: config.baseUrl ?? undefined,
    timeout: config.timeoutMs,
    maxRetries: 2,
  });
  return {
    model: config.model,
    async embed(texts, signal) {
      const vectors: number[][] = [];
      for (let i = 0; i < texts.length; i += embeddingBatchSize) {
        const input = texts.slice(i, i + embeddingBatchSize);
        let response: Awaited<ReturnType<typeof client.embeddings.create>>;
        try {
          response = await client.embeddings.create(
            { model: config.model, input, encoding_format: 'float' },
            signal ? { signal } : {},
          );
        } catch (error) {
          throw new EmbeddingError(`The embedding provider failed: ${(error as Error).message}`);
        }
        const data = [...(response.data ?? [])].sort((a, b) => a.index - b.index);
        if (data.length !== input.length || data.some((d) => !Array.isArray(d.embedding) || d.embedding.length === 0)) {
          throw new EmbeddingError(`The embedding provider answered ${data.length} vectors for ${input.length} texts.`);
        }
        const dims = data[0]?.embedding.length;
        if (data.some((d) => d.embedding.length !== dims || d.embedding.some((v) => !Number.isFinite(v)))) {
          throw new EmbeddingError('The embedding provider answered vectors of mixed sizes or non-numbers.');
        }
        vectors.push(...data.map((d) => d.embedding));
      }
      return vectors;
    },
  };
}

/**
 * Embeddings for texts keyed by their content SHA-256: cached ones are read, only the rest are
 * sent to the provider (in batches) and then cached. Returns sha256 → vector.
 */
export async function embedWithCache(
  db: Database,
  embedder: Embedder,
  items: readonly { sha256: string; text: string }[],
  signal?: AbortSignal,
): Promise<Map<string, number[]>> {
  const unique = [...new Map(items.map((i) => [i.sha256, i])).values()];
  const found = await readCachedEmbeddings(
    db,
    embedder.model,
    unique.map((i) => i.sha256),
  );
  const missing = unique.filter((i) => !found.has(i.sha256));
  if (missing.length > 0) {
    const vectors = await embedder.embed(
      missing.map((i) => i.text),
      signal,
    );
    const fresh = missing.map((item, index) => ({ sha256: item.sha256, embedding: vectors[index] ?? [] }));
    await cacheEmbeddings(db, embedder.model, fresh);
    for (const f of fresh) found.set(f.sha256, f.embedding);
  }
  return found;
}
