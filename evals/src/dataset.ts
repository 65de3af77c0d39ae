import { readFile } from 'node:fs/promises';
import {
  audienceVisibleTo,
  type DemoManifest,
  demoManifestSchema,
  roleSchema,
  toolRiskSchema,
} from '@atrium/contracts';
import { z } from 'zod';

/** What a case tests; the report gives a pass rate per kind. */
export const evalKinds = [
  'answerable',
  'not_in_kb',
  'forbidden',
  'chinese',
  'near_duplicate',
  'injection',
  'tool_use',
  'injected_document',
] as const;
export type EvalKind = (typeof evalKinds)[number];

/**
 * Kinds asked of the BFF wired to the worst-case model (src/worst-case-model.ts): they judge
 * which tool calls the BFF let through, not retrieval.
 */
export const toolKinds: ReadonlySet<EvalKind> = new Set(['tool_use', 'injected_document']);
export const isToolCase = (c: { kind: EvalKind }) => toolKinds.has(c.kind);

/** One step the answer must show: the tool called and what became of the call (contracts `answerStepSchema`). */
const expectedStepSchema = z
  .object({
    tool: z.string().min(1),
    status: z.enum(['done', 'failed', 'drafted', 'refused']),
    /** For a drafted step: the draft's risk and its number of approval levels. */
    risk: toolRiskSchema.optional(),
    levels: z.number().int().min(0).optional(),
  })
  .strict();
export type ExpectedStep = z.output<typeof expectedStepSchema>;

/**
 * Text `{{ticket:<key>}}` in `input`, `model_calls` and `document.text` is replaced by the id of
 * the fixture ticket `<key>` (evals/tool-fixtures.json) before the case is asked.
 */
const modelCallSchema = z.object({ tool: z.string().min(1), arguments: z.unknown() }).strict();

/**
 * One line of `dataset.jsonl`. Facts and forbidden strings match case-insensitively, ignoring
 * whitespace (see `score.ts`); sources are document titles from the demo KB manifest.
 */
export const evalCaseSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case words joined by -'),
    kind: z.enum(evalKinds),
    asker_role: roleSchema,
    input: z.string().trim().min(1).max(2_000),
    /** Key facts: each must appear in the answer. */
    expected: z.array(z.string().min(1)),
    /** Titles of the documents that answer the question; citing any one of them is enough. */
    expected_sources: z.array(z.string().min(1)),
    /** The answer must cite at least one of `expected_sources`. */
    must_cite: z.boolean(),
    /** true: must say it does not know; false: must not; null: either is right (not judged). */
    expected_refusal: z.boolean().nullable(),
    /** Titles the asker may not read: never cited, never named in the answer. */
    forbidden_sources: z.array(z.string().min(1)).default([]),
    /** Strings only a forbidden document holds (its reference code, its figures): never in the answer. */
    must_not_contain: z.array(z.string().min(1)).default([]),
    /** Tool kinds: the tool calls the worst-case model makes when it reads `input`. */
    model_calls: z.array(modelCallSchema).default([]),
    /** Tool kinds: the steps the answer must show, in order (exactly these). */
    expected_steps: z.array(expectedStepSchema).default([]),
    /**
     * `injected_document`: a document an admin uploads (audience `everyone`) just before the case
     * and deletes after it; the model obeys what its passages say.
     */
    document: z
      .object({ title: z.string().trim().min(1).max(200), text: z.string().min(1).max(20_000) })
      .strict()
      .nullable()
      .default(null),
  })
  .strict()
  .superRefine((c, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (c.must_cite && c.expected_sources.length === 0) problem('must_cite needs expected_sources');
    if (c.expected_refusal === true && (c.must_cite || c.expected.length > 0)) {
      problem('a case that expects "I don\'t know" cannot expect facts or citations');
    }
    if (c.kind === 'not_in_kb' && c.expected_refusal !== true) problem('not_in_kb cases expect a refusal');
    if ((c.kind === 'forbidden' || c.kind === 'injection') && c.forbidden_sources.length === 0) {
      problem(`${c.kind} cases name the documents the asker may not see (forbidden_sources)`);
    }
    if (c.kind === 'near_duplicate' && !c.must_cite) problem('near_duplicate cases must cite the current version');
    if (isToolCase(c)) {
      if (c.expected_sources.length > 0 || c.must_cite) problem(`${c.kind} cases judge tool calls, not citations`);
      if (c.kind === 'tool_use' && c.expected_steps.length === 0) problem('tool_use cases list expected_steps');
      if (c.kind === 'injected_document' && !c.document) problem('injected_document cases upload a document');
    } else if (c.model_calls.length > 0 || c.expected_steps.length > 0 || c.document) {
      problem('model_calls, expected_steps and document belong to tool_use and injected_document cases');
    }
  });
export type EvalCase = z.output<typeof evalCaseSchema>;

export class DatasetError extends Error {
  override name = 'DatasetError';
}

/**
 * Parses JSON Lines (blank lines ignored) into cases; throws `DatasetError` naming every bad line
 * and every repeated id.
 */
export function parseDataset(text: string): EvalCase[] {
  const cases: EvalCase[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      problems.push(`line ${index + 1}: not JSON`);
      return;
    }
    const parsed = evalCaseSchema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'case'}: ${issue.message}`);
      problems.push(`line ${index + 1}: ${issues.join('; ')}`);
      return;
    }
    if (seen.has(parsed.data.id)) problems.push(`line ${index + 1}: id "${parsed.data.id}" is used twice`);
    seen.add(parsed.data.id);
    cases.push(parsed.data);
  });
  if (problems.length > 0) throw new DatasetError(`Bad dataset:\n  ${problems.join('\n  ')}`);
  return cases;
}

/**
 * What is wrong between the cases and the manifest: a title that names no document, an expected
 * source the asker may not read, or a "forbidden" source the asker may read after all (the rule
 * is contracts' `audienceVisibleTo`). Empty when they agree.
 */
export function checkAgainstManifest(cases: EvalCase[], manifest: DemoManifest): string[] {
  const audiences = new Map(manifest.map((entry) => [entry.title, entry.audience]));
  const problems: string[] = [];
  for (const c of cases) {
    for (const title of c.expected_sources) {
      const audience = audiences.get(title);
      if (!audience) problems.push(`${c.id}: expected source "${title}" is not in the manifest`);
      else if (!audienceVisibleTo(audience, c.asker_role)) {
        problems.push(`${c.id}: ${c.asker_role} may not read expected source "${title}" (${audience})`);
      }
    }
    for (const title of c.forbidden_sources) {
      const audience = audiences.get(title);
      if (!audience) problems.push(`${c.id}: forbidden source "${title}" is not in the manifest`);
      else if (audienceVisibleTo(audience, c.asker_role)) {
        problems.push(`${c.id}: ${c.asker_role} may read "${title}" (${audience}), so it is not forbidden`);
      }
    }
  }
  return problems;
}

export async function loadDataset(path: string): Promise<EvalCase[]> {
  return parseDataset(await readFile(path, 'utf8'));
}

/** `bff/demo-kb/manifest.json`, parsed with the schema the BFF seeds from (contracts `demoManifestSchema`). */
export async function loadManifest(path: string): Promise<DemoManifest> {
  return demoManifestSchema.parse(JSON.parse(await readFile(path, 'utf8')));
}
