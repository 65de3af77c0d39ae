import { z } from 'zod';
import type { Role } from './values.js';

/**
 * Who may read a document (and every passage retrieved from it).
 *
 * - `private`: its owner only (not even an admin);
 * - `everyone`: every signed-in user;
 * - `agent_l1`: support staff at L1 and above;
 * - `agent_l2`: support staff at L2 and above.
 *
 * Where the other roles sit (decided here, tested role × audience in the BFF):
 * - `approver` reads what L1 reads: approvers judge drafts proposed from L1 material;
 * - `ops` reads what a `user` reads: ops run releases, not support content;
 * - `admin` reads every shared document (never another user's private one).
 */
export const documentAudiences = ['private', 'everyone', 'agent_l1', 'agent_l2'] as const;
export const documentAudienceSchema = z.enum(documentAudiences);
export type DocumentAudience = z.infer<typeof documentAudienceSchema>;

/**
 * The rank stored with a document and each of its chunks. A caller sees a row when they own it
 * or when its rank is at most their clearance — one comparison inside every SQL query.
 * `private` is above every clearance, so only the owner clause lets it through.
 */
export const audienceRank: Record<DocumentAudience, number> = {
  everyone: 0,
  agent_l1: 1,
  agent_l2: 2,
  private: 100,
};

/** The highest shared audience rank a role reads (see `documentAudiences`). */
export const roleClearance: Record<Role, number> = {
  user: 0,
  ops: 0,
  agent_l1: 1,
  approver: 1,
  agent_l2: 2,
  admin: 3,
};

/** Whether `role` (not the owner) may read a document shared with `audience`. */
export function audienceVisibleTo(audience: DocumentAudience, role: Role): boolean {
  return audienceRank[audience] <= roleClearance[role];
}

/**
 * A document's life: `uploading` only while its bytes arrive; then the ingestion job moves it
 * `queued → parsing → chunking → embedding → ready`, or to `failed` (with a reason) or
 * `cancelled`. Only `ready` documents are searched.
 */
export const documentStatuses = ['queued', 'parsing', 'chunking', 'embedding', 'ready', 'failed', 'cancelled'] as const;
export const documentStatusSchema = z.enum(documentStatuses);
export type DocumentStatus = z.infer<typeof documentStatusSchema>;

/** Statuses a document can still leave by itself (the job has work to do). */
export const activeDocumentStatuses: readonly DocumentStatus[] = ['queued', 'parsing', 'chunking', 'embedding'];

/** Formats we ingest, detected from the bytes (magic numbers, then text sniffing), never from the name alone. */
export const documentMediaTypes = [
  'text/plain',
  'text/markdown',
  'text/html',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
] as const;
export const documentMediaTypeSchema = z.enum(documentMediaTypes);
export type DocumentMediaType = z.infer<typeof documentMediaTypeSchema>;

/** Why ingestion ended `failed`: stable codes the UI translates; `message` is for people. */
export const documentFailureCodes = [
  'document.no_text',
  'document.unsupported_type',
  'document.encrypted',
  'document.unreadable',
  'document.too_large',
  'document.too_many_pages',
  'document.embedding_failed',
  'document.internal',
] as const;
export const documentFailureSchema = z.object({ code: z.enum(documentFailureCodes), message: z.string() });
export type DocumentFailure = z.infer<typeof documentFailureSchema>;

export const documentIdSchema = z.uuid();

export const documentSchema = z.object({
  id: documentIdSchema,
  title: z.string(),
  /** The name the file had on the uploader's machine: shown, never used as a path. */
  filename: z.string(),
  /** Detected from the content; null until parsing has looked at it. */
  mediaType: documentMediaTypeSchema.nullable(),
  sizeBytes: z.number().int().min(0),
  /** Hex SHA-256 of the bytes: the storage key and the duplicate check. */
  sha256: z.string(),
  audience: documentAudienceSchema,
  status: documentStatusSchema,
  failure: documentFailureSchema.nullable(),
  /** Work done and to do in the current step (e.g. chunks embedded of total); null when not measured. */
  progress: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
  pageCount: z.number().int().nullable(),
  chunkCount: z.number().int(),
  ownerId: z.uuid(),
  /** The owner's display name, so a shared document says who published it. */
  ownerName: z.string(),
  /**
   * Whether the caller owns it. Owners cancel, retry, reindex and delete (an admin also does
   * so on others' shared documents); owners whose role holds `documents:share` change the
   * audience, and any owner may make their own document private.
   */
  mine: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DocumentView = z.infer<typeof documentSchema>;

export const listDocumentsQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  q: z.string().trim().max(200).optional(),
  status: documentStatusSchema.optional(),
  audience: documentAudienceSchema.optional(),
});
export const listDocumentsResponseSchema = z.object({
  documents: z.array(documentSchema),
  nextCursor: z.string().nullable(),
  /** The BFF's configured limits, so the browser can refuse a file before sending it. */
  limits: z.object({ uploadMaxBytes: z.number().int().positive() }).optional(),
});
export const documentResponseSchema = z.object({ document: documentSchema });

/**
 * The largest upload in bytes when the BFF does not say otherwise (issue 9: 25 MB). The list
 * response's `limits.uploadMaxBytes` carries the configured value; the BFF answers 413
 * `request.too_large` above it either way.
 */
export const defaultUploadMaxBytes = 25 * 1024 * 1024;

/**
 * `POST /api/documents?filename=…&audience=…&title=…` with the raw file as the body
 * (`Content-Type: application/octet-stream`, so the browser can report byte progress).
 */
export const uploadDocumentQuerySchema = z.object({
  filename: z.string().trim().min(1).max(255),
  title: z.string().trim().min(1).max(200).optional(),
  audience: documentAudienceSchema.default('private'),
});
/** 409 `document.duplicate` carries the caller's existing document with the same bytes. */
export const duplicateDocumentErrorSchema = z.object({
  code: z.literal('document.duplicate'),
  message: z.string(),
  document: documentSchema,
});

export const changeAudienceRequestSchema = z.object({
  audience: documentAudienceSchema,
  reason: z.string().trim().min(1).max(500).optional(),
});

/** One retrieved passage, as cited in an answer and as opened from a citation. */
export const passageSchema = z.object({
  chunkId: z.uuid(),
  documentId: documentIdSchema,
  documentTitle: z.string(),
  /** Headings above the passage, outermost first. */
  headingPath: z.array(z.string()),
  /** 1-based page for PDFs; null for other formats. */
  page: z.number().int().nullable(),
  /** Character offsets of the passage in the document's extracted text (UTF-16 code units, end exclusive). */
  charStart: z.number().int(),
  charEnd: z.number().int(),
  text: z.string(),
});
export type Passage = z.infer<typeof passageSchema>;

/** A citation stored with an answer: the number shown (`[1]`) and a snapshot of what was cited. */
export const citationSchema = z.object({
  n: z.number().int().min(1),
  chunkId: z.uuid(),
  documentId: documentIdSchema,
  documentTitle: z.string(),
  headingPath: z.array(z.string()),
  page: z.number().int().nullable(),
  /** The first characters of the passage, kept even if the document is deleted later. */
  excerpt: z.string(),
});
export type Citation = z.infer<typeof citationSchema>;

/** `GET /api/documents/:id/passages/:chunkId`: the passage with its neighbours, permission checked again. */
export const passageResponseSchema = z.object({
  document: documentSchema,
  passage: passageSchema,
  before: passageSchema.nullable(),
  after: passageSchema.nullable(),
});
export type PassageResponse = z.infer<typeof passageResponseSchema>;
