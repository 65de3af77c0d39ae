import { addCounts, type MaskAsker, type MaskCounts, type MaskPolicy, maskText } from './output-mask.js';

/**
 * Longest run held back when no whitespace ends it (characters). A longer unbroken run is not
 * prose: it is let through masked as far as it goes, keeping `forcedTail` characters back.
 */
const maxHold = 4096;
/** A PEM block is held whole up to this size (an RSA 4096 key is about 3.3k characters). */
const maxPemHold = 16_384;
const forcedTail = 256;

const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);

function wordStart(text: string, at: number): number {
  let start = at;
  while (start > 0 && !isSpace(text[start - 1])) start--;
  return start;
}

/**
 * Where the part of `text` that could still become (or extend) a match begins: nothing before
 * it can be part of a match that ends after the text does.
 * - an open PEM block (`-----BEGIN` without its `-----END …-----`),
 * - digits with phone/card separators at the end (they span spaces), from the start of their word,
 * - the last word, with a `Bearer` or `aws_secret_access_key =` before it (the secret follows them).
 */
function holdBackStart(text: string): { start: number; limit: number } {
  const begin = text.lastIndexOf('-----BEGIN');
  // A closed block is released whole: its END line has spaces, so no cut may fall inside it.
  let closedAt = 0;
  if (begin >= 0) {
    const end = /-----END [A-Z0-9 ]*?-----/.exec(text.slice(begin));
    if (!end) return { start: begin, limit: maxPemHold };
    closedAt = begin + end.index + end[0].length;
  }
  let start = text.length;
  const digits = /[+(]?\d[\d ().-]*$/.exec(text);
  if (digits) start = wordStart(text, digits.index);
  const word = /(?:\b(?:bearer|aws_secret_access_key)\s*[=:]?\s*)?\S*$/i.exec(text);
  if (word) start = Math.min(start, word.index);
  return { start: Math.max(start, closedAt), limit: maxHold };
}

export interface StreamMasker {
  /** Takes the next delta; returns the masked text that is safe to emit now (possibly ''). */
  push(text: string): string;
  /** The stream ended: returns the rest, masked. */
  end(): string;
  /** Matches masked so far, per kind. */
  counts(): MaskCounts;
}

/**
 * A masker for streamed answer text. It holds back only the tail that could still become a
 * match (see `holdBackStart`), so a secret split across deltas is never emitted in clear while
 * prose is delayed by at most its last word.
 */
export function createStreamMasker(policy: MaskPolicy, asker: MaskAsker | null = null): StreamMasker {
  let held = '';
  const total: MaskCounts = {};
  const emit = (text: string) => {
    const masked = maskText(text, policy, asker);
    addCounts(total, masked.counts);
    return masked.text;
  };
  return {
    push(text) {
      held += text;
      const { start, limit } = holdBackStart(held);
      const cut = held.length - start > limit ? held.length - forcedTail : start;
      if (cut <= 0) return '';
      const ready = held.slice(0, cut);
      held = held.slice(cut);
      return emit(ready);
    },
    end() {
      const rest = held;
      held = '';
      return rest ? emit(rest) : '';
    },
    counts: () => ({ ...total }),
  };
}
