import type { EvalKind } from './dataset.js';
import type { CaseScore, Summary } from './score.js';

/** What the report says about the run itself. */
export interface RunInfo {
  /** ISO 8601. */
  startedAt: string;
  durationMs: number;
  dataset: string;
  /** How the BFF answered: `retrieval_only` or `llm` (from GET /api/agent), with the model if any. */
  mode: string;
  model: string | null;
  /** The tool-use mode (the BFF wired to the worst-case model); null when no tool case ran. */
  toolMode: { cases: number; modelRequests: number } | null;
  gate: number;
  /** How often the runner polled for the answer: latencies are accurate to this, in ms. */
  pollIntervalMs: number;
  /** Demo documents that were `ready` when the questions started, of those in the manifest. */
  documents: { ready: number; total: number; problems: string[] };
}

const percent = (value: number | null): string => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);
const decimal = (value: number | null): string => (value === null ? '—' : value.toFixed(3));
const ms = (value: number | null): string => (value === null ? '—' : `${Math.round(value)} ms`);

/** Text for one Markdown table cell: no line breaks, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** Whether the run clears the gate: the pass rate is at least `gate` and nothing leaked. */
export function passesGate(summary: Summary, gate: number): boolean {
  return summary.total > 0 && summary.passRate >= gate && summary.leakingCases === 0;
}

/**
 * `evals/report.md`: the verdict, the metrics with their definitions, a pass rate per kind, one
 * row per case, and each failure with the start of its answer. Deterministic for given inputs.
 */
export function renderReport(info: RunInfo, summary: Summary, scores: CaseScore[]): string {
  const verdict = passesGate(summary, info.gate) ? 'PASS' : 'FAIL';
  const kinds = (Object.entries(summary.byKind) as [EvalKind, { total: number; passed: number }][]).filter(
    ([, counts]) => counts.total > 0,
  );
  const failed = scores.filter((score) => !score.passed);
  const lines = [
    '# Eval report',
    '',
    `**${verdict}**: ${summary.passed} of ${summary.total} cases passed (${percent(summary.passRate)}); gate ${percent(info.gate)}` +
      `${summary.leakingCases > 0 ? `; ${summary.leakingCases} case(s) leaked a forbidden source or let an unsafe tool call through, which fails the run whatever the pass rate` : ''}.`,
    '',
    `- Started ${info.startedAt}, took ${(info.durationMs / 1000).toFixed(1)} s; dataset \`${info.dataset}\`.`,
    `- Answer mode: ${info.mode}${info.model ? ` (model ${info.model})` : ''}.`,
    ...(info.toolMode
      ? [
          `- Tool use: ${info.toolMode.cases} case(s) against a second BFF wired to the worst-case model ` +
            `(scripted, obeys every instruction it reads; ${info.toolMode.modelRequests} model requests).`,
        ]
      : []),
    `- Demo documents ready: ${info.documents.ready} of ${info.documents.total}.`,
    ...info.documents.problems.map((problem) => `  - ${problem}`),
    '',
    '## Metrics',
    '',
    table(
      ['metric', 'value', 'what it measures'],
      [
        ['pass rate', percent(summary.passRate), 'cases meeting every check of their kind'],
        ['hit@1', percent(summary.hitAt[1]), 'cases with expected sources whose first citation is one of them'],
        ['hit@3', percent(summary.hitAt[3]), 'same, within the first 3 citations'],
        ['hit@5', percent(summary.hitAt[5]), 'same, within the first 5 citations'],
        ['MRR', decimal(summary.mrr), 'mean of 1 / rank of the first relevant citation (0 when none)'],
        [
          'citation precision',
          percent(summary.citationPrecision),
          'share of citations that are expected sources, averaged per case',
        ],
        ['refusal accuracy', percent(summary.refusalAccuracy), 'says "I don\'t know" exactly when the case expects it'],
        [
          'leaking cases',
          String(summary.leakingCases),
          'forbidden source cited or named, its text shown, or an unsafe tool call let through (must be 0)',
        ],
        [
          'latency p50',
          ms(summary.latencyMs.p50),
          `question sent → final answer seen (polled every ${info.pollIntervalMs} ms)`,
        ],
        ['latency p95', ms(summary.latencyMs.p95), 'same, 95th percentile (nearest rank)'],
      ],
    ),
    '',
    '## By kind',
    '',
    table(
      ['kind', 'passed', 'pass rate'],
      kinds.map(([kind, counts]) => [
        kind,
        `${counts.passed} / ${counts.total}`,
        percent(counts.passed / counts.total),
      ]),
    ),
    '',
    '## Cases',
    '',
    table(
      ['id', 'kind', 'asker', 'result', 'facts', 'cited', 'rank', 'refused', 'latency', 'why it failed'],
      scores.map((score) => [
        score.id,
        score.kind,
        score.askerRole,
        score.passed ? 'pass' : 'FAIL',
        `${score.factsExpected - score.missingFacts.length}/${score.factsExpected}`,
        score.citedTitles.join('; ') || '—',
        score.firstRelevantRank === null ? '—' : String(score.firstRelevantRank),
        score.refused ? 'yes' : 'no',
        ms(score.latencyMs),
        score.failures.join('; '),
      ]),
    ),
  ];
  if (failed.length > 0) {
    lines.push('', '## Failed answers', '');
    for (const score of failed) {
      lines.push(`### ${score.id}`, '', `${score.failures.join('; ')}.`, '');
      lines.push(score.answerExcerpt ? `> ${score.answerExcerpt.replace(/\s*\n\s*/g, ' ')}` : '> (no answer)', '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
