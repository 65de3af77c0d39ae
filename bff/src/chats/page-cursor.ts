import { z } from 'zod';
import { AppError } from '../errors.js';

/** Opaque to clients: base64url of the sort key of the last row on the page. */
const keySchema = z.tuple([z.iso.datetime(), z.union([z.string().max(64), z.number().int()])]);
export type PageKey = z.infer<typeof keySchema>;

export function encodePageCursor(at: Date, id: string | number): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

export function decodePageCursor(cursor: string): { at: Date; id: string | number } {
  try {
    const [at, id] = keySchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { at: new Date(at), id };
  } catch {
    throw new AppError('request.invalid', 400, 'The page cursor is not valid.', [
      { path: 'cursor', message: 'not a cursor this server issued' },
    ]);
  }
}
