import type { AnswerStep, Citation, Message } from '@atrium/contracts';
import { type EvalCase, type EvalKind, evalKinds } from './dataset.js';

/**
 * What asking one case produced. `status` is the answer's final status, or `timeout` (it never
 * finished within the case timeout) or `error` (a request failed; `error` says which).
 */
export interface AskOutcome {
  status: Message['status'] | 'timeout' | 'error';
  content: string;
  citations: Pick<Citation, 'n' | 'documentTitle'>[];
  mode: Message['mode'];
  /** From sending the question to seeing the final answer, in ms; null when it never finished. */
  latencyMs: number | null;
  error: string | null;
  /** The answer's tool calls as steps (contracts `answerStepSchema`); empty without a model. */
  steps: AnswerStep[];
}

export interface CaseScore {
  id: string;
  kind: EvalKind;
  askerRole: EvalCase['asker_role'];
  status: AskOutcome['status'];
  passed: boolean;
  /** Why it failed, one short sentence each; empty when it passed. */
  failures: string[];
  missingFacts: string[];
  factsExpected: number;
  /** Distinct cited document titles, in citation order. */
  citedTitles: string[];
  /** 1-based position (citations sorted by n) of the first citation of an expected source; null if none. */
  firstRelevantRank: number | null;
  /** Share of citations whose document is an expected source; null without expected sources or citations. */
  citationPrecision: number | null;
  refused: boolean;
  /** Whether `refused` is what the case expects; null when the case does not judge it. */
  refusalCorrect: boolean | null;
  /** Forbidden titles cited or named, and forbidden strings found in the answer. */
  leaks: string[];
  latencyMs: number | null;
  /** The answer's first characters, for the report. */
  answerExcerpt: string;
}

/**
 * The form texts are compared in: Unicode NFKC (full-width digits and punctuation become ASCII),
 * lower case, typographic apostrophes made straight, and no whitespace at all, so "30 天" matches
 * "30天" and a fact broken across lines still matches.
 */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, '');
}

export function containsText(haystack: string, needle: string): boolean {
  return normalise(haystack).includes(normalise(needle));
}

/**
 * How an answer says it does not know: the retrieval-only answer says it found nothing relevant
 * ("I don't know" / "nothing relevant"; "没有找到" in Chinese), and a model is asked to say the same.
 * Matched on the normalised text (no spaces).
 */
const refusalMarkers = [
  "idon'tknow",
  'idonotknow',
  'nothingrelevant',
  'norelevant',
  "couldn'tfind",
  'couldnotfind',
  "didn'tfind",
  'didnotfind',
  'foundnothing',
  '没有找到',
  '未找到',
  '找不到',
  '不知道',
].map(normalise);

export function isRefusal(content: string): boolean {
  const text = normalise(content);
  return refusalMarkers.some((marker) => text.includes(marker));
}

const excerptLength = 240;

/** Scores one answer against its case; pure, so the report can be tested with fixtures. */
export function scoreCase(c: EvalCase, outcome: AskOutcome): CaseScore {
  const citations = [...outcome.citations].sort((a, b) => a.n - b.n);
  const expected = new Set(c.expected_sources);
  const citedTitles = [...new Set(citations.map((citation) => citation.documentTitle))];
  const relevantIndex = citations.findIndex((citation) => expected.has(citation.documentTitle));
  const relevantCount = citations.filter((citation) => expected.has(citation.documentTitle)).length;
  const complete = outcome.status === 'complete';
  const missingFacts = complete ? c.expected.filter((fact) => !containsText(outcome.content, fact)) : c.expected;
  const refused = complete && isRefusal(outcome.content);

  // A leak counts whatever the status: a failed or stopped answer may still have shown it.
  const forbidden = new Set(c.forbidden_sources);
  const leaks = [
    ...citedTitles.filter((title) => forbidden.has(title)).map((title) => `cited "${title}"`),
    ...c.forbidden_sources.filter((title) => containsText(outcome.content, title)).map((title) => `named "${title}"`),
    ...c.must_not_contain.filter((text) => containsText(outcome.content, text)).map((text) => `said "${text}"`),
  ];

  const failures: string[] = [];
  if (!complete) failures.push(`answer ${outcome.status}${outcome.error ? `: ${outcome.error}` : ''}`);
  else {
    if (missingFacts.length > 0) failures.push(`missing ${missingFacts.map((fact) => `"${fact}"`).join(', ')}`);
    if (c.must_cite && citations.length === 0) failures.push('cited nothing');
    else if (c.must_cite && relevantIndex < 0) failures.push('cited none of the expected sources');
    if (c.expected_refusal === true && !refused) failures.push('answered instead of saying it does not know');
    if (c.expected_refusal === false && refused) failures.push('said it does not know');
  }
  if (leaks.length > 0) failures.push(`leaked: ${leaks.join(', ')}`);

  return {
    id: c.id,
    kind: c.kind,
    askerRole: c.asker_role,
    status: outcome.status,
    passed: failures.length === 0,
    failures,
    missingFacts,
    factsExpected: c.expected.length,
    citedTitles,
    firstRelevantRank: relevantIndex < 0 ? null : relevantIndex + 1,
    citationPrecision: expected.size > 0 && citations.length > 0 ? relevantCount / citations.length : null,
    refused,
    refusalCorrect: c.expected_refusal === null ? null : complete && refused === c.expected_refusal,
    leaks,
    latencyMs: complete ? outcome.latencyMs : null,
    answerExcerpt: outcome.content.slice(0, excerptLength),
  };
}

export interface Summary {
  total: number;
  passed: number;
  /** passed / total; every case counts, including those that errored. */
  passRate: number;
  byKind: Record<EvalKind, { total: number; passed: number }>;
  /** Over cases with expected sources: the share whose first relevant citation is at rank ≤ k. */
  hitAt: Record<1 | 3 | 5, number | null>;
  /** Mean reciprocal rank of the first relevant citation (0 when none), over the same cases. */
  mrr: number | null;
  /** Mean of the per-case citation precision, over cases that have both expected sources and citations. */
  citationPrecision: number | null;
  /** Share of cases judging refusal (`expected_refusal` not null) where the answer got it right. */
  refusalAccuracy: number | null;
  /** Cases with at least one leak: must be 0. */
  leakingCases: number;
  latencyMs: { p50: number | null; p95: number | null };
}

/** The nearest-rank percentile (`p` in 0–100) of `values`; null when there are none. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

const mean = (values: number[]): number | null =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;

/** Aggregates scores; `cases` gives which cases have expected sources (ranks are measured over those). */
export function summarise(cases: EvalCase[], scores: CaseScore[]): Summary {
  const withSources = new Set(cases.filter((c) => c.expected_sources.length > 0).map((c) => c.id));
  const ranked = scores.filter((score) => withSources.has(score.id));
  const hit = (k: number) =>
    mean(ranked.map((score) => (score.firstRelevantRank !== null && score.firstRelevantRank <= k ? 1 : 0)));
  const byKind = Object.fromEntries(evalKinds.map((kind) => [kind, { total: 0, passed: 0 }])) as Summary['byKind'];
  for (const score of scores) {
    byKind[score.kind].total += 1;
    if (score.passed) byKind[score.kind].passed += 1;
  }
  const passed = scores.filter((score) => score.passed).length;
  const latencies = scores.flatMap((score) => (score.latencyMs === null ? [] : [score.latencyMs]));
  const judged = scores.flatMap((score) => (score.refusalCorrect === null ? [] : [score.refusalCorrect ? 1 : 0]));
  return {
    total: scores.length,
    passed,
    passRate: scores.length === 0 ? 0 : passed / scores.length,
    byKind,
    hitAt: { 1: hit(1), 3: hit(3), 5: hit(5) },
    mrr: mean(ranked.map((score) => (score.firstRelevantRank === null ? 0 : 1 / score.firstRelevantRank))),
    citationPrecision: mean(
      scores.flatMap((score) => (score.citationPrecision === null ? [] : [score.citationPrecision])),
    ),
    refusalAccuracy: mean(judged),
    leakingCases: scores.filter((score) => score.leaks.length > 0).length,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
  };
}
