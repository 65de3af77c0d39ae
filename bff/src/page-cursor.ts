import { z } from 'zod';
import { AppError } from './errors.js';

/*
 * Every page cursor this server hands out comes back as client input. Each one is checked
 * against the exact shape the server issues before it reaches a query, so a forged one is a 400,
 * never a database error: a uuid where the column is uuid, a safe positive integer where it is a
 * bigint identity, and a time in the canonical form `Date#toISOString` writes.
 */

/** 400 `request.invalid_cursor`; `field` names where the cursor came from (`cursor`, `before`, `Last-Event-ID`). */
export function invalidCursor(field: string): AppError {
  return new AppError('request.invalid_cursor', 400, 'The page cursor is not valid.', [
    { path: field, message: 'not a cursor this server issued' },
  ]);
}

/** `bigint` identity columns, read as JS numbers: exact up to 2^53 - 1. */
const rowId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** Row times are written by this server, after 1970 and in `toISOString` form; PostgreSQL refuses year 0. */
const rowTime = z.iso
  .datetime()
  .refine((text) => {
    const at = new Date(text);
    return at.getTime() >= 0 && at.toISOString() === text;
  })
  .transform((text) => new Date(text));

export interface KeysetCursor<Id> {
  /** Base64url of `[time, id]`, the sort key of the row a page ended at. */
  encode(at: Date, id: Id): string;
  /** The key back, or 400 `request.invalid_cursor` for anything `encode` could not have written. */
  decode(cursor: string, field?: string): { at: Date; id: Id };
}

function keysetCursor<Id>(idSchema: z.ZodType<Id>): KeysetCursor<Id> {
  const keySchema = z.tuple([rowTime, idSchema]);
  return {
    encode: (at, id) => Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url'),
    decode(cursor, field = 'cursor') {
      let key: unknown;
      try {
        key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        throw invalidCursor(field);
      }
      const parsed = keySchema.safeParse(key);
      if (!parsed.success) throw invalidCursor(field);
      const [at, id] = parsed.data;
      return { at, id };
    },
  };
}

/** The chat list, newest first: `(updated_at, id)` of the last chat on the page. */
export const chatListCursor = keysetCursor(z.uuid());

/** The document list, newest first: `(created_at, id)` of the last document on the page. */
export const documentListCursor = keysetCursor(z.uuid());

/** Drafts (approvals queue, one's own proposals), newest first: `(created_at, id)` of the last draft on the page. */
export const draftListCursor = keysetCursor(z.uuid());

/** A chat's messages, newest first: `(created_at, position)` of the oldest message on the page. */
export const messageCursor = keysetCursor(rowId);

/**
 * Pages over a bigint identity, newest first (audit log, release history): the id of the last
 * row on the page in decimal. `decode` accepts only what `String(id)` writes for a safe id.
 */
export const rowIdCursor = {
  encode: (id: number): string => String(id),
  decode(cursor: string, field = 'before'): number {
    const id = /^[1-9]\d{0,15}$/.test(cursor) ? Number(cursor) : Number.NaN;
    if (!rowId.safeParse(id).success) throw invalidCursor(field);
    return id;
  },
};

/** The ticket list, most recently updated first: `(updated_at, id)` of the last ticket on the page. */
export const ticketListCursor = keysetCursor(z.uuid());
