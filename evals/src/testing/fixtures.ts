import type { EvalCase } from '../dataset.js';
import type { AskOutcome } from '../score.js';

/** A valid answerable case; override what the test is about. */
export function evalCase(overrides: Partial<EvalCase> = {}): EvalCase {
  return {
    id: 'refund-window',
    kind: 'answerable',
    asker_role: 'user',
    input: 'How many days do I have to ask for a refund?',
    expected: ['30 days'],
    expected_sources: ['Refund policy (July 2024)'],
    must_cite: true,
    expected_refusal: false,
    forbidden_sources: [],
    must_not_contain: [],
    model_calls: [],
    expected_steps: [],
    document: null,
    ...overrides,
  };
}

/** A complete answer citing `titles` as [1], [2], … in that order. */
export function answer(content: string, titles: string[] = [], overrides: Partial<AskOutcome> = {}): AskOutcome {
  return {
    status: 'complete',
    content,
    citations: titles.map((documentTitle, index) => ({ n: index + 1, documentTitle })),
    mode: 'retrieval_only',
    latencyMs: 100,
    error: null,
    steps: [],
    ...overrides,
  };
}
