/**
 * `pnpm eval`: asks the dataset's cases of the real BFF over HTTP and gates on the pass rate.
 * See `src/options.ts` for the flags and README.md for what each case checks.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { DemoManifest } from '@atrium/contracts';
import { askCase } from './src/ask.js';
import { startBff } from './src/bff-process.js';
import { AtriumClient, signInAskers } from './src/client.js';
import { checkAgainstManifest, type EvalCase, isToolCase, loadDataset, loadManifest } from './src/dataset.js';
import { waitForDemoDocuments } from './src/demo-documents.js';
import { parseRunOptions, type RunOptions, UsageError, usage } from './src/options.js';
import { passesGate, type RunInfo, renderReport } from './src/report.js';
import { reportRun } from './src/report-run.js';
import { type CaseScore, scoreCase, summarise } from './src/score.js';
import { loadToolFixtures } from './src/tool-fixtures.js';
import { runToolCases } from './src/tool-run.js';

const repoRoot = join(import.meta.dirname, '..');
const manifestPath = join(repoRoot, 'bff/demo-kb/manifest.json');
const fixturesPath = join(repoRoot, 'evals/tool-fixtures.json');
const pollMs = 100;

class SetupError extends Error {
  override name = 'SetupError';
}

const say = (text: string) => process.stdout.write(`${text}\n`);
const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);

async function selectCases(options: RunOptions): Promise<EvalCase[]> {
  const all = await loadDataset(options.dataset);
  if (!options.only) return all;
  const unknown = options.only.filter((id) => !all.some((c) => c.id === id));
  if (unknown.length > 0) throw new UsageError(`--only names no case: ${unknown.join(', ')}`);
  return all.filter((c) => options.only!.includes(c.id));
}

interface RetrievalResult {
  scores: CaseScore[];
  documents: RunInfo['documents'];
  mode: string;
  model: string | null;
}

/**
 * The retrieval mode: the BFF over the demo knowledge base, answering as the environment says
 * (retrieval-only in CI; with the model when OPENAI_* is set).
 */
async function runRetrievalCases(
  cases: EvalCase[],
  manifest: DemoManifest,
  options: RunOptions,
  runId: string,
): Promise<RetrievalResult> {
  const admin = { email: `eval-admin-${runId}@evals.test`, password: randomUUID() };
  say(`Starting the BFF (in-memory database, demo knowledge base)…`);
  const bff = await startBff({
    ATRIUM_DATA_DIR: 'memory://',
    DATABASE_URL: '',
    ATRIUM_SEED_DEMO_KB: 'true',
    ATRIUM_SEED_LOCAL_REMOTES: 'false',
    ATRIUM_ADMIN_EMAIL: admin.email,
    ATRIUM_ADMIN_PASSWORD: admin.password,
    LOG_LEVEL: 'warn',
  });
  try {
    const adminClient = await AtriumClient.signIn(bff.url, admin.email, admin.password);
    const askers = await signInAskers(adminClient, [...new Set(cases.map((c) => c.asker_role))], runId);
    say(`Waiting for the ${manifest.length} demo documents to be ready…`);
    const documents = await waitForDemoDocuments(adminClient, manifest, {
      timeoutMs: options.readyTimeoutMs,
      pollMs: 1000,
    });
    for (const problem of documents.problems) say(`  ${problem}`);
    const agent = await adminClient.agentStatus();
    say(`Asking ${cases.length} cases (answer mode: ${agent.mode})…`);

    const scores: CaseScore[] = [];
    for (const [index, c] of cases.entries()) {
      const outcome = await askCase(askers.get(c.asker_role)!, c, { runId, timeoutMs: options.caseTimeoutMs, pollMs });
      const score = scoreCase(c, outcome);
      scores.push(score);
      say(
        `[${index + 1}/${cases.length}] ${score.passed ? 'pass' : 'FAIL'} ${c.id}${score.passed ? '' : `: ${score.failures.join('; ')}`}`,
      );
    }
    return { scores, documents, mode: agent.mode, model: agent.model };
  } finally {
    await bff.stop();
  }
}

async function run(options: RunOptions): Promise<number> {
  const cases = await selectCases(options);
  const retrievalCases = cases.filter((c) => !isToolCase(c));
  const toolCases = cases.filter(isToolCase);
  const manifest = await loadManifest(manifestPath);
  const problems = checkAgainstManifest(cases, manifest);
  if (problems.length > 0) throw new SetupError(`The dataset disagrees with the manifest:\n  ${problems.join('\n  ')}`);
  const fixtures = toolCases.length > 0 ? await loadToolFixtures(fixturesPath) : null;

  const startedAt = new Date();
  const runId = randomUUID().slice(0, 8);
  const retrieval: RetrievalResult =
    retrievalCases.length > 0
      ? await runRetrievalCases(retrievalCases, manifest, options, runId)
      : { scores: [], documents: { ready: 0, total: 0, problems: [] }, mode: 'not run', model: null };
  const tools = fixtures
    ? await runToolCases(toolCases, fixtures, {
        runId,
        caseTimeoutMs: options.caseTimeoutMs,
        pollMs,
        say,
      })
    : null;

  const scores = [...retrieval.scores, ...(tools?.scores ?? [])];
  const summary = summarise(cases, scores);
  const report = renderReport(
    {
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      dataset: relative(repoRoot, options.dataset),
      mode: retrieval.mode,
      model: retrieval.model,
      toolMode: tools ? { cases: toolCases.length, modelRequests: tools.modelRequests } : null,
      gate: options.gate,
      pollIntervalMs: pollMs,
      documents: retrieval.documents,
    },
    summary,
    scores,
  );
  await writeFile(options.report, report);
  await reportRun(
    process.env,
    {
      name: `${relative(repoRoot, options.dataset)} ${runId}`,
      passed: summary.passed,
      total: summary.total,
      detail: { mode: retrieval.mode, model: retrieval.model, gate: options.gate, startedAt: startedAt.toISOString() },
    },
    say,
  );
  const passed = passesGate(summary, options.gate);
  say(
    `${passed ? 'PASS' : 'FAIL'}: ${summary.passed}/${summary.total} passed (${percent(summary.passRate)}, gate ${percent(options.gate)}); ` +
      `hit@5 ${percent(summary.hitAt[5])}, MRR ${summary.mrr?.toFixed(3) ?? '—'}, leaking or unsafe cases ${summary.leakingCases}. ` +
      `Report: ${relative(process.cwd(), options.report)}`,
  );
  return passed ? 0 : 1;
}

async function main(): Promise<number> {
  const options = parseRunOptions(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd());
  if (options.help) {
    say(usage);
    return 0;
  }
  return run(options);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `${error instanceof UsageError ? `${message}\n\n${usage}` : `eval could not run: ${message}`}\n`,
    );
    process.exit(2);
  },
);
