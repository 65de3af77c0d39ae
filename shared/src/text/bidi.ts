/**
 * Bidirectional control characters: the embeddings and overrides U+202A–U+202E, the isolates
 * U+2066–U+2069, the marks U+200E/U+200F and the Arabic letter mark U+061C. Inside text a
 * model or a user wrote they can make a subject read reversed ("Trojan Source", CVE-2021-42574).
 */
const bidiControls = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

/**
 * `text` with each bidi control character replaced by its visible escape: `\u` then four
 * upper-case hex digits (U+202E → the six characters `\u202E`); every other character kept.
 * The same format as the BFF's `withoutBidiControls` (bff/src/drafts/proposer.ts), which escapes
 * draft summaries, so a summary and its arguments read alike. Idempotent on its own output.
 */
export function escapeBidiControls(text: string): string {
  return text.replace(bidiControls, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/**
 * A tool call's arguments (any JSON value, as the model sent them) for display: JSON indented by
 * two spaces with bidi controls escaped (`escapeBidiControls`); '' for `undefined`. Every view
 * that shows arguments uses this, so none renders them raw.
 */
export function argumentsForDisplay(args: unknown): string {
  return escapeBidiControls(JSON.stringify(args, null, 2) ?? '');
}
