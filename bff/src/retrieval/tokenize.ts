import { type SQL, sql } from 'drizzle-orm';

/** Longer runs are not words a person searches for, and PostgreSQL drops lexemes past 2 KB anyway. */
const maxWordLength = 64;

/** A run of Han characters, or a run of other letters, digits and marks. */
const piece = /(\p{Script=Han}+)|(?:(?!\p{Script=Han})[\p{L}\p{N}\p{M}])+/gu;

/**
 * Text → search tokens, the same for chunks and for questions: NFKC-normalised, lower-cased
 * runs of letters and digits (other than Han), and for each run of Han characters its
 * overlapping bigrams (`重置密码` → `重置 置密 密码`), or the character itself for a run of one.
 * PostgreSQL's built-in configurations keep a Han run as one lexeme, so `密码` would never
 * match inside `重置密码` (knowledge-base-spike.md, "Chinese full-text search"). Tokens are in
 * text order, so consecutive bigrams are adjacent positions in the tsvector (`<->` works).
 */
export function searchTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.normalize('NFKC').toLowerCase().matchAll(piece)) {
    const run = match[0];
    if (match[1] === undefined) {
      if (run.length <= maxWordLength) tokens.push(run);
      continue;
    }
    const chars = [...run];
    if (chars.length === 1) tokens.push(run);
    for (let i = 0; i + 1 < chars.length; i += 1) tokens.push(chars[i]! + chars[i + 1]!);
  }
  return tokens;
}

/**
 * The `search_vector` of a chunk: `to_tsvector('simple', <tokens joined by spaces>)`. `simple`
 * only lower-cases (no stemming, no stop words), so each of our tokens is one lexeme.
 */
export function searchVector(text: string): SQL {
  return sql`to_tsvector('simple', ${searchTokens(text).join(' ')})`;
}
