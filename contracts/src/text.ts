import { z } from 'zod';

/**
 * C0 and C1 control characters (line breaks and tabs included) and the Unicode bidirectional
 * embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069; Unicode TR9 §2):
 * in a one-line name they break tables and terminals, or make text read differently from what
 * it is ("signed by" a name reversed on screen).
 */
const notForNames = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/**
 * A name people read on one line (an agent, a signing or deploy key, a person): trimmed,
 * 1–`max` characters, none of the controls above, and at least one character that is neither
 * white space nor a format character (zero-width spaces alone would show as a blank name).
 * Refused with `request.invalid`.
 */
export const singleLineNameSchema = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((text) => !notForNames.test(text), 'no control characters, line breaks or bidirectional overrides')
    .refine((text) => /[^\s\p{Cf}]/u.test(text), 'at least one visible character');
