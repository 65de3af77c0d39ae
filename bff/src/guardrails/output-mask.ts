/*
 * The output guardrail (issue 10, item 5): secrets and other people's personal data are masked
 * as `[redacted: <kind>]` before an answer is stored or streamed. Patterns follow the published
 * token formats (OpenAI/Anthropic `sk-…`, GitHub `ghp_…`/`github_pat_…`, AWS `AKIA…`, Slack
 * `xox?-…`, Stripe `sk_live_…`, JWT RFC 7519 compact form, RFC 6750 bearer, RFC 7468 PEM) and,
 * for card numbers, ISO/IEC 7812 (15–19 digits passing the Luhn check).
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

/** Whose answer it is: their own email is not "personal data of others". */
export interface MaskAsker {
  email: string | null;
}

/** Matches masked per kind (only kinds with at least one). */
export type MaskCounts = Partial<Record<MaskKind, number>>;

export interface MaskResult {
  text: string;
  counts: MaskCounts;
}

interface Detector {
  kind: MaskKind;
  pattern: RegExp;
  /** Extra check on a match (Luhn, digit count); the match is kept when absent or true. */
  accept?: (match: string) => boolean;
}

const digitCount = (text: string) => text.replace(/\D/g, '').length;

/** Luhn (ISO/IEC 7812-1 annex B) over the digits of `text`. */
export function passesLuhn(text: string): boolean {
  const digits = text.replace(/\D/g, '');
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
  {
    kind: 'card_number',
    pattern: /(?<![\d-])\d(?:[ -]?\d){14,18}(?![\d])/g,
    accept: (match) => passesLuhn(match),
  },
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
  const hits: (Hit & { rank: number })[] = [];
  detectors.forEach((detector, rank) => {
    if (!enabled.has(detector.kind)) return;
    for (const m of text.matchAll(detector.pattern)) {
      if (detector.accept && !detector.accept(m[0])) continue;
      if (detector.kind === 'email' && own !== null && m[0].toLowerCase() === own) continue;
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
