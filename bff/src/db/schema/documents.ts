import type { DocumentFailure, DocumentMediaType } from '@atrium/contracts';
import { documentAudiences, documentStatuses } from '@atrium/contracts';

import {
  bigint,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './users.js';

export const documentAudienceEnum = pgEnum('document_audience', documentAudiences);
export const documentStatusEnum = pgEnum('document_status', documentStatuses);

/** PostgreSQL's full-text vector; written with `to_tsvector('simple', <our tokens>)`, never read back. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * An uploaded file and its ingestion state. The bytes live in the document store under
 * `sha256` (content-addressed); `filename` is only shown. `audienceRank` mirrors `audience`
 * (contracts `audienceRank`) so access is one comparison inside SQL.
 */
export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    filename: text('filename').notNull(),
    mediaType: text('media_type').$type<DocumentMediaType>(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    audience: documentAudienceEnum('audience').notNull(),
    audienceRank: smallint('audience_rank').notNull(),
    status: documentStatusEnum('status').notNull(),
    failure: jsonb('failure').$type<DocumentFailure>(),
    progress: jsonb('progress').$type<{ done: number; total: number }>(),
    pageCount: integer('page_count'),
    chunkCount: integer('chunk_count').notNull().default(0),
    /** Bumped by reindex/retry: a job carrying an older generation stops without writing. */
    generation: integer('generation').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    /** The same bytes twice for one owner is a duplicate (the upload offers the existing document). */
    uniqueIndex('documents_owner_sha256_idx').on(t.ownerId, t.sha256),
    index('documents_owner_created_idx').on(t.ownerId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('documents_rank_created_idx').on(t.audienceRank, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);

/**
 * A passage of a ready document. `ownerId` and `audienceRank` are copied from the document
 * (changed with it, in one transaction) so both searches filter access without a join.
 * `searchVector` holds our tokens (words + overlapping Han bigrams, see retrieval/tokenize.ts)
 * under the `simple` configuration: the built-in configurations cannot split Chinese
 * (knowledge-base-spike.md). Vectors live in `chunk_embeddings`, created by migration 0007 only
 * where the pgvector extension exists.
 */
export const documentChunks = pgTable(
  'document_chunks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    ownerId: uuid('owner_id').notNull(),
    audienceRank: smallint('audience_rank').notNull(),
    ordinal: integer('ordinal').notNull(),
    text: text('text').notNull(),
    headingPath: jsonb('heading_path').$type<string[]>().notNull(),
    page: integer('page'),
    charStart: integer('char_start').notNull(),
    charEnd: integer('char_end').notNull(),
    tokenCount: integer('token_count').notNull(),
    /** Hex SHA-256 of `text`: the embedding cache key. */
    contentSha256: text('content_sha256').notNull(),
    searchVector: tsvector('search_vector').notNull(),
  },
  (t) => [
    uniqueIndex('document_chunks_document_ordinal_idx').on(t.documentId, t.ordinal),
    index('document_chunks_search_idx').using('gin', t.searchVector),
  ],
);

export type DocumentRow = typeof documents.$inferSelect;
export type DocumentChunkRow = typeof documentChunks.$inferSelect;
