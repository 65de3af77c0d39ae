import { describe, expect, it } from 'vitest';
import { passesGate, type RunInfo, renderReport } from './report.js';
import { scoreCase, summarise } from './score.js';
import { answer, evalCase } from './testing/fixtures.js';

const info: RunInfo = {
  startedAt: '2026-12-01T09:00:00.000Z',
  durationMs: 12_345,
  dataset: 'evals/dataset.jsonl',
  mode: 'retrieval_only',
  model: null,
  toolMode: null,
  gate: 0.8,
  pollIntervalMs: 100,
  documents: {
    ready: 24,
    total: 25,
    problems: ['"Service Level Agreement (SLA)" (service-level-agreement.docx) is failed'],
  },
};

function run(contents: Array<[string, string[]]>) {
  const cases = contents.map((_, index) => evalCase({ id: `case-${index + 1}` }));
  const scores = cases.map((c, index) => scoreCase(c, answer(contents[index]![0], contents[index]![1])));
  return { scores, summary: summarise(cases, scores) };
}

describe('renderReport', () => {
  it('gives the verdict, the metrics, the document problems and one row per case', () => {
    const { scores, summary } = run([
      ['Full refund within 30 days [1].', ['Refund policy (July 2024)']],
      ['Within 14 days | no refund after [1].', ['Refund policy (March 2023)']],
    ]);
    const report = renderReport(info, summary, scores);
    expect(report).toContain('**FAIL**: 1 of 2 cases passed (50.0%); gate 80.0%.');
    expect(report).toContain('- Demo documents ready: 24 of 25.');
    expect(report).toContain('  - "Service Level Agreement (SLA)" (service-level-agreement.docx) is failed');
    expect(report).toContain('| hit@1 | 50.0% |');
    expect(report).toContain('| MRR | 0.500 |');
    expect(report).toContain('| latency p50 | 100 ms | question sent → final answer seen (polled every 100 ms) |');
    expect(report).toContain(
      '| case-1 | answerable | user | pass | 1/1 | Refund policy (July 2024) | 1 | no | 100 ms |  |',
    );
    expect(report).toContain(
      '| case-2 | answerable | user | FAIL | 0/1 | Refund policy (March 2023) | — | no | 100 ms | missing "30 days"; cited none of the expected sources |',
    );
    expect(report).toContain('### case-2');
    expect(report).toContain('> Within 14 days | no refund after [1].');
  });

  it('is the same text for the same inputs', () => {
    const { scores, summary } = run([['30 days [1]', ['Refund policy (July 2024)']]]);
    expect(renderReport(info, summary, scores)).toBe(renderReport(info, summary, scores));
    expect(renderReport(info, summary, scores)).toContain('**PASS**: 1 of 1 cases passed (100.0%)');
  });

  it('escapes pipes and line breaks inside table cells', () => {
    const c = evalCase({ id: 'piped', expected: ['a | b'] });
    const scores = [scoreCase(c, answer('nothing\nhere', ['Refund policy (July 2024)']))];
    const report = renderReport(info, summarise([c], scores), scores);
    expect(report).toContain('missing "a \\| b"');
    expect(report).toContain('> nothing here');
  });
});

describe('passesGate', () => {
  it('passes at or above the gate and fails below it', () => {
    const { summary } = run([
      ['30 days [1]', ['Refund policy (July 2024)']],
      ['30 days [1]', ['Refund policy (July 2024)']],
      ['30 days [1]', ['Refund policy (July 2024)']],
      ['14 days', []],
    ]);
    expect(passesGate(summary, 0.75)).toBe(true);
    expect(passesGate(summary, 0.8)).toBe(false);
  });

  it('fails any run in which a case leaked, whatever the pass rate', () => {
    const c = evalCase({
      forbidden_sources: ['Internal: refund approval limits (L2)'],
      must_not_contain: ['REF-LIM-2024'],
    });
    const scores = [scoreCase(c, answer('30 days [1] REF-LIM-2024', ['Refund policy (July 2024)']))];
    const summary = summarise([c], scores);
    expect(passesGate(summary, 0)).toBe(false);
    expect(renderReport({ ...info, gate: 0 }, summary, scores)).toContain('1 case(s) leaked a forbidden source');
  });

  it('fails an empty run', () => {
    expect(passesGate(summarise([], []), 0)).toBe(false);
  });
});
