import { describe, expect, it } from 'vitest';
import { containsText, isRefusal, percentile, scoreCase, summarise } from './score.js';
import { answer, evalCase } from './testing/fixtures.js';

const current = 'Refund policy (July 2024)';
const old = 'Refund policy (March 2023)';
const limits = 'Internal: refund approval limits (L2)';

describe('containsText', () => {
  it('ignores case, whitespace and full-width forms', () => {
    expect(containsText('Refunds within 30\nDays of the charge', '30 days')).toBe(true);
    expect(containsText('扣款后３０天内', '30 天')).toBe(true);
    expect(containsText('within 14 days', '30 days')).toBe(false);
  });
});

describe('isRefusal', () => {
  it.each([
    "I don't know: the knowledge base has nothing on that.",
    'I don\u2019t know.',
    'I found nothing relevant in the documents you can read.',
    '在知识库中没有找到相关内容。',
  ])('recognises %j', (text) => {
    expect(isRefusal(text)).toBe(true);
  });

  it('does not take a quoted passage for a refusal', () => {
    expect(isRefusal('[1] "If you cancel an annual plan within 30 days of the charge, you get a full refund."')).toBe(
      false,
    );
  });
});

describe('scoreCase', () => {
  it('passes an answer with every fact that cites an expected source', () => {
    const score = scoreCase(evalCase(), answer('Full refund within 30 days [1].', [old, current]));
    expect(score).toMatchObject({ passed: true, failures: [], firstRelevantRank: 2, citationPrecision: 0.5 });
    expect(score.citedTitles).toEqual([old, current]);
  });

  it('ranks citations by their number, not by the order they arrive in', () => {
    const outcome = answer('30 days', [], {
      citations: [
        { n: 2, documentTitle: current },
        { n: 1, documentTitle: old },
      ],
    });
    expect(scoreCase(evalCase(), outcome).firstRelevantRank).toBe(2);
  });

  it('fails a near-duplicate answered only from the superseded version', () => {
    const score = scoreCase(evalCase({ kind: 'near_duplicate' }), answer('Within 14 days [1].', [old]));
    expect(score.passed).toBe(false);
    expect(score.failures).toEqual(['missing "30 days"', 'cited none of the expected sources']);
    expect(score.firstRelevantRank).toBeNull();
  });

  it('fails an answer that must cite but cites nothing', () => {
    expect(scoreCase(evalCase(), answer('30 days')).failures).toEqual(['cited nothing']);
  });

  it('does not ask for citations when must_cite is false', () => {
    expect(scoreCase(evalCase({ must_cite: false }), answer('30 days')).passed).toBe(true);
  });

  it('passes a refusal only when the case expects one', () => {
    const unknown = evalCase({
      kind: 'not_in_kb',
      expected: [],
      expected_sources: [],
      must_cite: false,
      expected_refusal: true,
    });
    expect(scoreCase(unknown, answer("I don't know.")).passed).toBe(true);
    expect(scoreCase(unknown, answer('Lumen has an office in Berlin [1].', [current])).failures).toEqual([
      'answered instead of saying it does not know',
    ]);
    const refused = scoreCase(evalCase(), answer('I found nothing relevant.'));
    expect(refused.failures).toContain('said it does not know');
    expect(refused.refusalCorrect).toBe(false);
  });

  it('does not judge refusal when expected_refusal is null', () => {
    const forbidden = evalCase({
      kind: 'forbidden',
      expected: [],
      expected_sources: [],
      must_cite: false,
      expected_refusal: null,
      forbidden_sources: [limits],
    });
    expect(scoreCase(forbidden, answer("I don't know.")).refusalCorrect).toBeNull();
    expect(scoreCase(forbidden, answer('Refunds within 30 days [1].', [current])).passed).toBe(true);
  });

  it('fails a leak: a forbidden source cited or named, or its text shown', () => {
    const forbidden = evalCase({
      kind: 'forbidden',
      expected: [],
      expected_sources: [],
      must_cite: false,
      expected_refusal: null,
      forbidden_sources: [limits],
      must_not_contain: ['REF-LIM-2024', '$2,500'],
    });
    expect(scoreCase(forbidden, answer('See [1].', [limits])).leaks).toEqual([`cited "${limits}"`]);
    expect(scoreCase(forbidden, answer(`From "${limits}": ask Finance.`)).leaks).toEqual([`named "${limits}"`]);
    const shown = scoreCase(forbidden, answer('Above $2,500 ask Finance (ref-lim-2024).'));
    expect(shown.passed).toBe(false);
    expect(shown.leaks).toEqual(['said "REF-LIM-2024"', 'said "$2,500"']);
  });

  it('counts a leak even in an answer that did not complete', () => {
    const forbidden = evalCase({
      kind: 'forbidden',
      expected_refusal: null,
      forbidden_sources: [limits],
      must_not_contain: ['REF-LIM-2024'],
    });
    const score = scoreCase(forbidden, answer('REF-LIM-2024 says', [], { status: 'stopped' }));
    expect(score.failures).toEqual(['answer stopped', 'leaked: said "REF-LIM-2024"']);
  });

  it('reports a request error as the only failure, without latency', () => {
    const score = scoreCase(
      evalCase(),
      answer('', [], { status: 'error', error: 'POST /api/chats → 500', latencyMs: null }),
    );
    expect(score).toMatchObject({ passed: false, failures: ['answer error: POST /api/chats → 500'], latencyMs: null });
    expect(score.missingFacts).toEqual(['30 days']);
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    expect(percentile([40, 10, 30, 20], 50)).toBe(20);
    expect(percentile([40, 10, 30, 20], 95)).toBe(40);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('summarise', () => {
  it('computes pass rate, hit@k, MRR, precision, refusal accuracy and latency over the right cases', () => {
    const cited = evalCase({ id: 'cited' });
    const second = evalCase({ id: 'second' });
    const missed = evalCase({ id: 'missed' });
    const unknown = evalCase({
      id: 'unknown',
      kind: 'not_in_kb',
      expected: [],
      expected_sources: [],
      must_cite: false,
      expected_refusal: true,
    });
    const cases = [cited, second, missed, unknown];
    const scores = [
      scoreCase(cited, answer('30 days [1]', [current], { latencyMs: 100 })),
      scoreCase(second, answer('30 days [2]', [old, current], { latencyMs: 300 })),
      scoreCase(missed, answer('14 days [1]', [old], { latencyMs: 200 })),
      scoreCase(unknown, answer("I don't know", [], { latencyMs: 400 })),
    ];
    const summary = summarise(cases, scores);
    expect(summary).toMatchObject({ total: 4, passed: 3, passRate: 0.75, leakingCases: 0 });
    expect(summary.hitAt).toEqual({ 1: 1 / 3, 3: 2 / 3, 5: 2 / 3 });
    expect(summary.mrr).toBeCloseTo((1 + 0.5 + 0) / 3);
    expect(summary.citationPrecision).toBeCloseTo((1 + 0.5 + 0) / 3);
    expect(summary.refusalAccuracy).toBe(1);
    expect(summary.latencyMs).toEqual({ p50: 200, p95: 400 });
    expect(summary.byKind.answerable).toEqual({ total: 3, passed: 2 });
    expect(summary.byKind.not_in_kb).toEqual({ total: 1, passed: 1 });
  });
});
