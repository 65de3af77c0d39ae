import { messageMaxChars } from '@atrium/contracts/values';

/** The counter appears once a draft has used this share of the limit: far below it, it is noise. */
const counterFromShare = 0.9;

export interface DraftLimit {
  /** What the BFF will count: the trimmed draft's characters (code points). */
  length: number;
  max: number;
  /** Near or over the limit: show `length / max`. */
  showCounter: boolean;
  /** Characters to remove before the draft can be sent; 0 when it fits. */
  over: number;
}

/**
 * How a draft stands against the server's message limit (`messageMaxChars` in contracts, the
 * same constant the BFF validates with). The composer never truncates: a pasted text stays
 * whole, and an over-long one is flagged instead of being cut without a word.
 */
export function draftLimit(draft: string, max = messageMaxChars): DraftLimit {
  const length = codePoints(draft.trim());
  return { length, max, showCounter: length >= max * counterFromShare, over: Math.max(0, length - max) };
}

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
