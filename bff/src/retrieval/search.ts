import type { Passage } from '@atrium/contracts';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/index.js';
import { type Reader, visibleTo } from '../documents/access.js';
import type { Logger } from '../logger.js';
import type { Embedder } from './embeddings.js';
import { reciprocalRankFusion } from './fuse.js';
import { searchTokens } from './tokenize.js';
import { nearestChunks } from './vector-store.js';

/** A passage as retrieved for one question: `rank` from 1 (best), `score` the fused RRF score. */
export interface RetrievedPassage extends Passage {
  rank: number;
  score: number;
}

export interface RetrievalMode {
  /** Whether vectors are searched too; when not, `reason` says why (shown at start-up and in /readyz). */
  vector: boolean;
  reason: string | null;
}

export interface Retriever {
  mode: RetrievalMode;
  /** The best passages for `question` that `reader` may see, best first; [] when nothing is relevant. */
  search(reader: Reader, question: string, options?: { k?: number }): Promise<RetrievedPassage[]>;
  /**
   * How many full-text hits for `question` (relevant by the same coverage rule as `search`, at
   * most 40) the access filter keeps from `reader`: the retrieval layer of the guardrails counts
   * them. Never which, nor what they say.
   */
  withheld(reader: Reader, question: string): Promise<number>;
}

export interface RetrieverOptions {
  db: Database;
  logger: Logger;
  /** Null: no embedding model configured. */
  embedder: Embedder | null;
  /** Whether the pgvector tables exist (`hasVectorSearch`). */
  vectorTables: boolean;
  topK: number;
  /**
   * A full-text hit counts only if it contains at least this share of the question's content
   * terms (see `termCoverage`): it keeps "what is the capital of France" from being answered
   * with the one passage that says "capital". 0.5 was chosen on the demo evals (evals/report.md).
   */
  minCoverage?: number;
  /** A vector hit counts only at or above this cosine similarity. */
  minSimilarity?: number;
}

/** Candidates taken from each search before fusion. */
const candidatesPerSearch = 40;

/** Words that carry no topic in a question (English), and Han characters that carry none (Chinese). */
const stopWords = new Set(
  'a an and are as at be by can could did do does for from how i if in is it me my of on or our please should so that the their there this to was we what when where which who why will with would you your'.split(
    ' ',
  ),
);
const stopHan = new Set([...'的了吗呢吧啊我你他她它们是在有和与或及怎么什如何么哪个这那要能可以会请问']);

export function createRetriever(options: RetrieverOptions): Retriever {
  const { db, embedder, topK } = options;
  const minCoverage = options.minCoverage ?? 0.5;
  const minSimilarity = options.minSimilarity ?? 0.3;
  const vector = Boolean(embedder) && options.vectorTables;
  const mode: RetrievalMode = {
    vector,
    reason: vector
      ? null
      : !options.vectorTables
        ? 'the database has no pgvector extension'
        : 'no embedding model is configured (ATRIUM_EMBEDDING_MODEL)',
  };

  async function fullText(
    reader: Reader,
    terms: string[],
    access: 'visible' | 'withheld' = 'visible',
  ): Promise<{ chunkId: string; text: string }[]> {
    if (terms.length === 0) return [];
    const query = terms.map((t) => `'${t.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | ');
    const filter = access === 'visible' ? visibleTo(reader, 'c') : sql`not ${visibleTo(reader, 'c')}`;
    return queryRows<{ chunkId: string; text: string }>(
      db,
      sql`select c.id as "chunkId", c.text
          from document_chunks c, to_tsquery('simple', ${query}) q
          where c.search_vector @@ q and ${filter}
          order by ts_rank_cd(c.search_vector, q) desc, c.id
          limit ${candidatesPerSearch}`,
    );
  }

  async function vectors(reader: Reader, question: string): Promise<string[]> {
    if (!vector || !embedder) return [];
    try {
      const [embedding] = await embedder.embed([question]);
      if (!embedding) return [];
      const hits = await nearestChunks(db, reader, embedder.model, embedding, candidatesPerSearch);
      return hits.filter((h) => h.similarity >= minSimilarity).map((h) => h.chunkId);
    } catch (error) {
      // A failing embedding provider degrades this question to full-text; it never fails the answer.
      options.logger.warn('vector search skipped', { error: (error as Error).message });
      return [];
    }
  }

  return {
    mode,
    async withheld(reader, question) {
      const terms = contentTerms(question);
      const hits = await fullText(reader, terms, 'withheld');
      return hits.filter((h) => termCoverage(terms, h.text) >= minCoverage).length;
    },
    async search(reader, question, searchOptions = {}) {
      const k = searchOptions.k ?? topK;
      const terms = contentTerms(question);
      const [textHits, vectorHits] = await Promise.all([fullText(reader, terms), vectors(reader, question)]);
      const lexical = textHits.filter((h) => termCoverage(terms, h.text) >= minCoverage).map((h) => h.chunkId);
      const fused = reciprocalRankFusion([lexical, vectorHits], (id) => id).slice(0, k);
      if (fused.length === 0) return [];
      const passages = await loadPassages(
        db,
        reader,
        fused.map((f) => f.item),
      );
      return fused.flatMap((f, index) => {
        const passage = passages.get(f.item);
        return passage ? [{ ...passage, rank: index + 1, score: f.score }] : [];
      });
    },
  };
}

/** The question's search terms without stop words; each a token as `searchTokens` makes them. */
export function contentTerms(question: string): string[] {
  const terms = searchTokens(question).filter((t) => !stopWords.has(t) && ![...t].every((ch) => stopHan.has(ch)));
  return [...new Set(terms)];
}

/**
 * The share of the question's content that a passage contains: Latin words count one each;
 * a Han term (a bigram) counts for the characters it covers, so "如何重置我的密码" is covered
 * half by a passage with 重置 and 密码. In [0, 1]; 0 when the question has no content terms.
 */
export function termCoverage(terms: readonly string[], text: string): number {
  if (terms.length === 0) return 0;
  const present = new Set(searchTokens(text));
  let words = 0;
  let wordsFound = 0;
  const hanTotal = new Set<string>();
  const hanFound = new Set<string>();
  for (const term of terms) {
    if (/\p{Script=Han}/u.test(term)) {
      for (const ch of term) if (!stopHan.has(ch)) hanTotal.add(ch);
      if (present.has(term)) for (const ch of term) if (!stopHan.has(ch)) hanFound.add(ch);
    } else {
      words += 1;
      if (present.has(term)) wordsFound += 1;
    }
  }
  const total = words + hanTotal.size;
  return total === 0 ? 0 : (wordsFound + hanFound.size) / total;
}

/**
 * Documents whose chunks are answered from: `ready`, and one being reindexed (queued again
 * after `ready`), whose old chunks stay until the new run replaces them in the transaction
 * that sets `ready`. A new, failed or cancelled document has no chunks.
 */
const searchableStatuses = sql`('ready', 'queued', 'parsing', 'chunking', 'embedding')`;

/** Passages by chunk id, with their document's title, re-checked against the access rule. */
export async function loadPassages(db: Database, reader: Reader, chunkIds: readonly string[]) {
  if (chunkIds.length === 0) return new Map<string, Passage>();
  const rows = await queryRows<{
    chunkId: string;
    documentId: string;
    documentTitle: string;
    headingPath: string[];
    page: number | null;
    charStart: number;
    charEnd: number;
    text: string;
  }>(
    db,
    sql`select c.id as "chunkId", c.document_id as "documentId", d.title as "documentTitle",
               c.heading_path as "headingPath", c.page, c.char_start as "charStart", c.char_end as "charEnd", c.text
        from document_chunks c join documents d on d.id = c.document_id
        where c.id in (${sql.join(
          chunkIds.map((id) => sql`${id}`),
          sql`, `,
        )}) and d.status in ${searchableStatuses} and ${visibleTo(reader, 'c')} and ${visibleTo(reader, 'd')}`,
  );
  return new Map<string, Passage>(rows.map((r) => [r.chunkId, r]));
}
