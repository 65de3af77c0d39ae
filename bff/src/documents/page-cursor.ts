import { z } from 'zod';
import { AppError } from '../errors.js';

/*
 * The document list's page cursor comes back as client input. It is checked against the exact
 * shape this server issues before it reaches a query, so a forged one is a 400, never a
 * database error: a uuid where the column is uuid, and a time in the canonical form
 * `Date#toISOString` writes, after 1970 (PostgreSQL refuses year 0).
 */

const rowTime = z.iso
  .datetime()
  .refine((text) => {
    const at = new Date(text);
    return at.getTime() >= 0 && at.toISOString() === text;
  })
  .transform((text) => new Date(text));

const keySchema = z.tuple([rowTime, z.uuid()]);

const invalidCursor = (field: string) =>
  new AppError('request.invalid', 400, 'The page cursor is not valid.', [
    { path: field, message: 'not a cursor this server issued' },
  ]);

/** Newest first: base64url of `[created_at, id]` of the last document on the page. */
export const documentListCursor = {
  encode: (at: Date, id: string): string => Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url'),
  /** The key back, or 400 `request.invalid` for anything `encode` could not have written. */
  decode(cursor: string, field = 'cursor'): { at: Date; id: string } {
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
