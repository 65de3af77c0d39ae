/*
 * The output guardrail (issue 10, item 5): secrets and other people's personal data are masked
 * as `[redacted: <kind>]` before an answer is stored or streamed. Patterns follow the published
 * token formats (OpenAI/Anthropic `sk-…`, GitHub `ghp_…`/`github_pat_…`, AWS `AKIA…`, Slack
 * `xox?-…`, Stripe `sk_live_…`, JWT RFC 7519 compact form, RFC 6750 bearer, RFC 7468 PEM) and,
 * for card numbers, ISO/IEC 7812 (13 or 15–19 digits passing the Luhn check; see `findCards`).
 */

/** What a mask replaces; `api_key` … `private_key` are secrets, the rest personal data. */
export const maskKinds = ['api_key', 'jwt', 'bearer_token', 'private_key', 'email', 'phone', 'card_number'] as const;
export type MaskKind = (typeof maskKinds)[number];

export const secretKinds: readonly MaskKind[] = ['api_key', 'jwt', 'bearer_token', 'private_key'];

/** Which kinds are masked (config `ATRIUM_MASK_SECRETS|EMAILS|PHONES|CARDS`, all on by default). */
export interface MaskPolicy {
  kinds: readonly MaskKind[];
}

export const maskAll: MaskPolicy = { kinds: maskKinds };

/**
 * Whose answer it is: their own email is not "personal data of others", nor is an email or phone
 * number quoted verbatim in `known` — the passages this answer was given, which the asker may
 * read anyway (a help page's support address or hotline). Secrets and card numbers are masked
 * whatever the source.
 */
export interface MaskAsker {
  email: string | null;
  known?: readonly string[];
}

/** Matches masked per kind (only kinds with at least one). */
export type MaskCounts = Partial<Record<MaskKind, number>>;

export interface MaskResult {
  text: string;
  counts: MaskCounts;
}

interface Span {
  start: number;
  end: number;
}

interface Detector {
  kind: MaskKind;
  /** A pattern whose matches (after `accept`) are masked; or `find`, which returns the spans itself. */
  pattern?: RegExp;
  /** Extra check on a match (Luhn, digit count); the match is kept when absent or true. */
  accept?: (match: string) => boolean;
  find?: (text: string) => Span[];
}

/** The digits of `text`, in order: a number however it is spaced or punctuated. */
const digitsOf = (text: string) => text.replace(/\D/g, '');
const digitCount = (text: string) => digitsOf(text).length;

/** Luhn (ISO/IEC 7812-1 annex B) over the digits of `text`. */
export function passesLuhn(text: string): boolean {
  const digits = digitsOf(text);
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Digit groups joined by single spaces or dashes (maximal: no digit before, greedy after). */
const digitRun = /(?<!\d)\d+(?:[ -]\d+)*/g;

/**
 * Grouped shapes a card number is printed in (group lengths, longest first): 4-4-4-4-3 (19-digit
 * UnionPay/Maestro), 4-4-4-4 (16), 4-6-5 (Amex 15). Within one number the separator is the same.
 */
const cardShapes: readonly (readonly number[])[] = [
  [4, 4, 4, 4, 3],
  [4, 4, 4, 4],
  [4, 6, 5],
];

/**
 * Whether one unbroken group of digits can be a card number (ISO/IEC 7812: 15–19 digits; 13
 * digits only for the old Visa numbers, which begin with 4, so that 13-digit millisecond
 * timestamps and EAN-13 codes are not taken for cards).
 */
const contiguousCard = (digits: string) =>
  (digits.length >= 15 && digits.length <= 19) || (digits.length === 13 && digits[0] === '4');

/**
 * Card numbers in `text`: Luhn-valid, either one unbroken group of digits (`contiguousCard`) or
 * groups in one of `cardShapes`. Numbers next to a card (`qty 1 4111…`, `4111… 3 items`) are
 * neither joined onto it nor swallowed by it: each run of digit groups is scanned group by group,
 * and at each group the longest Luhn-valid shape starting there is taken. A run right after `+`
 * is a phone number's and is not looked at from its first group.
 */
function findCards(text: string): Span[] {
  const spans: Span[] = [];
  for (const run of text.matchAll(digitRun)) {
    // Each group with the separator before it ('' for the run's first).
    const groups = [...run[0].matchAll(/\d+/g)].map((g) => ({
      start: run.index + g.index,
      end: run.index + g.index + g[0].length,
      digits: g[0],
      sep: g.index === 0 ? '' : run[0].charAt(g.index - 1),
    }));
    /** The groups of the card starting at group `i` (empty when none does). */
    const cardAt = (i: number): typeof groups => {
      if (i === 0 && text.charAt(run.index - 1) === '+') return [];
      for (const shape of cardShapes) {
        const candidate = groups.slice(i, i + shape.length);
        const fits =
          candidate.length === shape.length &&
          candidate.every((g, k) => g.digits.length === shape[k] && (k < 2 || g.sep === candidate[1]?.sep));
        if (fits && passesLuhn(candidate.map((g) => g.digits).join(''))) return candidate;
      }
      const single = groups.slice(i, i + 1);
      return single.every((g) => contiguousCard(g.digits) && passesLuhn(g.digits)) ? single : [];
    };
    for (let i = 0; i < groups.length; ) {
      const card = cardAt(i);
      const [first] = card;
      const last = card.at(-1);
      if (first && last) spans.push({ start: first.start, end: last.end });
      i += Math.max(card.length, 1);
    }
  }
  return spans;
}

// Order matters: at one position the first detector listed wins (a card before a phone number).
const detectors: readonly Detector[] = [
  {
    kind: 'private_key',
    // An unterminated block (an answer cut off) is masked to the end.
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)/g,
  },
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{8,}/g },
  { kind: 'bearer_token', pattern: /\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/gi },
  {
    kind: 'api_key',
    pattern: new RegExp(
      [
        /\bsk-(?:ant-|proj-|svcacct-)?[A-Za-z0-9_-]{20,}/.source, // OpenAI, Anthropic
        /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}/.source, // GitHub classic tokens
        /\bgithub_pat_[A-Za-z0-9_]{22,}/.source, // GitHub fine-grained tokens
        /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/.source, // AWS access key ids
        /\baws_secret_access_key\s*[=:]\s*[A-Za-z0-9/+=]{40}/.source, // AWS secret keys, named
        /\bxox[abposr]-[A-Za-z0-9-]{10,}/.source, // Slack
        /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/.source, // Stripe secret and restricted keys
        /\batr_[A-Za-z0-9_-]{40,}/.source, // Atrium's own personal access tokens
      ].join('|'),
      'g',
    ),
  },
  { kind: 'email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  { kind: 'card_number', find: findCards },
  {
    kind: 'phone',
    pattern: new RegExp(
      [
        /\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?!\d)/.source, // international, E.164 with separators
        /(?<![\d+])\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?!\d)/.source, // North American
        /(?<![\d+])1[3-9]\d{9}(?!\d)/.source, // mainland China mobile
      ].join('|'),
      'g',
    ),
    // E.164 allows at most 15 digits; fewer than 8 is a short code or a number of something else.
    accept: (match) => digitCount(match) >= 8 && digitCount(match) <= 15,
  },
];

interface Hit {
  start: number;
  end: number;
  kind: MaskKind;
}

function findHits(text: string, policy: MaskPolicy, asker: MaskAsker | null): Hit[] {
  const enabled = new Set(policy.kinds);
  const own = asker?.email?.toLowerCase() ?? null;
  const known = (asker?.known ?? []).map((text) => text.toLowerCase());
  // A phone number is the same number however it is written: compared by its digits.
  const phoneDetector = detectors.find((d) => d.kind === 'phone')?.pattern;
  const knownPhones = new Set(
    phoneDetector ? known.flatMap((text) => [...text.matchAll(phoneDetector)].map((m) => digitsOf(m[0]))) : [],
  );
  const readable = (kind: MaskKind, match: string) =>
    kind === 'email'
      ? known.some((text) => text.includes(match.toLowerCase()))
      : kind === 'phone' && knownPhones.has(digitsOf(match));
  const hits: (Hit & { rank: number })[] = [];
  detectors.forEach((detector, rank) => {
    if (!enabled.has(detector.kind)) return;
    if (detector.find) {
      for (const span of detector.find(text)) {
        if (readable(detector.kind, text.slice(span.start, span.end))) continue;
        hits.push({ ...span, kind: detector.kind, rank });
      }
      return;
    }
    if (!detector.pattern) return;
    for (const m of text.matchAll(detector.pattern)) {
      if (detector.accept && !detector.accept(m[0])) continue;
      if (detector.kind === 'email' && own !== null && m[0].toLowerCase() === own) continue;
      if (readable(detector.kind, m[0])) continue;
      hits.push({ start: m.index, end: m.index + m[0].length, kind: detector.kind, rank });
    }
  });
  hits.sort((a, b) => a.start - b.start || a.rank - b.rank || b.end - a.end);
  const chosen: Hit[] = [];
  let reached = 0;
  for (const hit of hits) {
    if (hit.start < reached) continue;
    chosen.push(hit);
    reached = hit.end;
  }
  return chosen;
}

const placeholder = (kind: MaskKind) => `[redacted: ${kind}]`;

/**
 * Masks every enabled kind in `text` as `[redacted: <kind>]`, except the asker's own email.
 * Returns the masked text and how many of each kind were masked (for `recordGuardrail`).
 */
export function maskText(text: string, policy: MaskPolicy, asker: MaskAsker | null = null): MaskResult {
  const hits = findHits(text, policy, asker);
  if (hits.length === 0) return { text, counts: {} };
  const counts: MaskCounts = {};
  let out = '';
  let at = 0;
  for (const hit of hits) {
    out += text.slice(at, hit.start) + placeholder(hit.kind);
    counts[hit.kind] = (counts[hit.kind] ?? 0) + 1;
    at = hit.end;
  }
  return { text: out + text.slice(at), counts };
}

/**
 * The one place an answer's text is masked before it is stored (the answer lifecycle calls it
 * when it writes the text). Same as `maskText`; named for its caller so the rule has one home.
 */
export function maskAnswerText(text: string, policy: MaskPolicy, asker: MaskAsker | null): MaskResult {
  return maskText(text, policy, asker);
}

/** Adds `more` into `into` (both per-kind counts). */
export function addCounts(into: MaskCounts, more: MaskCounts): void {
  for (const [kind, n] of Object.entries(more) as [MaskKind, number][]) into[kind] = (into[kind] ?? 0) + n;
}
