import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { audienceVisibleTo, roles } from '@atrium/contracts';
import { describe, expect, it } from 'vitest';
import { checkAgainstManifest, DatasetError, isToolCase, loadDataset, loadManifest, parseDataset } from './dataset.js';
import { containsText, isRefusal } from './score.js';
import { evalCase } from './testing/fixtures.js';
import { loadToolFixtures, ticketKeysIn } from './tool-fixtures.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const kbDir = join(repoRoot, 'bff/demo-kb');
const cases = await loadDataset(join(repoRoot, 'evals/dataset.jsonl'));
const manifest = await loadManifest(join(kbDir, 'manifest.json'));
const fixtures = await loadToolFixtures(join(repoRoot, 'evals/tool-fixtures.json'));

/** The text of each text-format demo document by title (the PDF and DOCX need parsers the BFF owns). */
const texts = new Map(
  await Promise.all(
    manifest
      .filter((entry) => /\.(md|txt|html)$/.test(entry.file))
      .map(async (entry) => {
        const raw = await readFile(join(kbDir, entry.file), 'utf8');
        return [entry.title, entry.file.endsWith('.html') ? raw.replace(/<[^>]+>/g, ' ') : raw] as const;
      }),
  ),
);
const han = /\p{Script=Han}/u;

describe('parseDataset', () => {
  it('names each bad line and each repeated id', () => {
    const good = JSON.stringify(evalCase());
    const noSources = JSON.stringify(evalCase({ id: 'no-sources', expected_sources: [] }));
    const text = [good, '', '{not json', noSources, good].join('\n');
    expect(() => parseDataset(text)).toThrow(DatasetError);
    expect(() => parseDataset(text)).toThrow(
      /line 3: not JSON\n {2}line 4: .*must_cite needs expected_sources\n {2}line 5: id "refund-window" is used twice/,
    );
  });

  it('refuses fields it does not know, so a typo cannot switch a check off', () => {
    expect(() => parseDataset(JSON.stringify({ ...evalCase(), must_site: true }))).toThrow(/must_site/);
  });
});

describe('checkAgainstManifest', () => {
  it('flags unknown titles, expected sources the asker cannot read and forbidden sources they can', () => {
    const problems = checkAgainstManifest(
      [
        evalCase({ id: 'unknown', expected_sources: ['No such page'] }),
        evalCase({ id: 'hidden', expected_sources: ['Internal: refund approval limits (L2)'] }),
        evalCase({
          id: 'visible',
          asker_role: 'agent_l2',
          forbidden_sources: ['Internal: refund approval limits (L2)'],
        }),
      ],
      manifest,
    );
    expect(problems).toEqual([
      'unknown: expected source "No such page" is not in the manifest',
      'hidden: user may not read expected source "Internal: refund approval limits (L2)" (agent_l2)',
      'visible: agent_l2 may read "Internal: refund approval limits (L2)" (agent_l2), so it is not forbidden',
    ]);
  });
});

describe('evals/dataset.jsonl', () => {
  it('agrees with the demo knowledge base manifest', () => {
    expect(checkAgainstManifest(cases, manifest)).toEqual([]);
  });

  it('has the cases the issue asks for', () => {
    const count = (predicate: (c: (typeof cases)[number]) => boolean) => cases.filter(predicate).length;
    expect(cases.length).toBeGreaterThanOrEqual(45);
    expect(count((c) => c.kind === 'not_in_kb' && c.expected_refusal === true)).toBeGreaterThanOrEqual(6);
    expect(count((c) => c.kind === 'forbidden')).toBeGreaterThanOrEqual(6);
    expect(count((c) => han.test(c.input))).toBeGreaterThanOrEqual(8);
    expect(count((c) => c.kind === 'chinese')).toBeGreaterThanOrEqual(8);
    expect(
      count((c) => c.kind === 'near_duplicate' && c.expected_sources.includes('Refund policy (July 2024)')),
    ).toBeGreaterThanOrEqual(3);
    expect(count((c) => c.kind === 'injection')).toBeGreaterThanOrEqual(3);
    expect(new Set(cases.map((c) => c.asker_role))).toEqual(new Set(roles));
  });

  it('never expects the superseded refund policy as a source', () => {
    expect(cases.filter((c) => c.expected_sources.includes('Refund policy (March 2023)'))).toEqual([]);
  });

  it('expects only facts that an expected source states', () => {
    const unsupported = cases
      .filter((c) => !isToolCase(c))
      .flatMap((c) => {
        const sources = c.expected_sources.flatMap((title) => texts.get(title) ?? []);
        if (sources.length < c.expected_sources.length) return []; // a PDF or DOCX among them: not checkable here
        return c.expected
          .filter((fact) => !sources.some((text) => containsText(text, fact)))
          .map((fact) => `${c.id}: "${fact}"`);
      });
    expect(unsupported).toEqual([]);
  });

  it('forbids only strings that no document visible to the asker contains', () => {
    const audiences = new Map(manifest.map((entry) => [entry.title, entry.audience]));
    const visibleToAsker = cases.flatMap((c) =>
      c.must_not_contain.flatMap((text) =>
        [...texts]
          .filter(([title, body]) => audienceVisibleTo(audiences.get(title)!, c.asker_role) && containsText(body, text))
          .map(([title]) => `${c.id}: "${text}" is in "${title}"`),
      ),
    );
    expect(visibleToAsker).toEqual([]);
  });

  it('tests injected instructions against the document that carries them', () => {
    const injected = 'Community tips: faster booking pages';
    expect(texts.get(injected)).toMatch(/ignore previous instructions/i);
    expect(cases.some((c) => c.kind === 'injection' && c.expected_sources.includes(injected))).toBe(true);
  });

  it("has tool cases for reads, drafts, refusals, other users' tickets and injected documents", () => {
    const tool = cases.filter(isToolCase);
    const steps = tool.flatMap((c) => c.expected_steps);
    expect(tool.length).toBeGreaterThanOrEqual(12);
    expect(cases.filter((c) => c.kind === 'injected_document').length).toBeGreaterThanOrEqual(4);
    for (const status of ['done', 'failed', 'drafted', 'refused'] as const) {
      expect(steps.some((step) => step.status === status)).toBe(true);
    }
    expect(tool.some((c) => c.expected_steps.some((step) => step.tool === 'crm_delete_customer'))).toBe(true);
    expect(tool.some((c) => c.model_calls.length > 1)).toBe(true);
    // The worst-case model knows a case by its question: two cases asking the same would share a script.
    expect(new Set(tool.map((c) => c.input.trim())).size).toBe(tool.length);
  });

  it('names only fixture tickets that exist, and expects facts only from tickets the asker may see', () => {
    const keys = new Map(fixtures.tickets.map((t) => [t.key, t]));
    expect(cases.flatMap((c) => ticketKeysIn(c).filter((key) => !keys.has(key)))).toEqual([]);
    const staff = new Set(['agent_l1', 'agent_l2', 'approver', 'admin']);
    for (const c of cases.filter(isToolCase)) {
      const visible = fixtures.tickets.filter((t) => staff.has(c.asker_role) || t.requester === c.asker_role);
      const hidden = fixtures.tickets.filter((t) => !visible.includes(t));
      for (const fact of c.expected)
        expect(
          visible.some((t) => containsText(t.subject, fact)),
          `${c.id}: ${fact}`,
        ).toBe(true);
      for (const text of c.must_not_contain) {
        expect(
          visible.some((t) => containsText(`${t.subject} ${t.body}`, text)),
          `${c.id}: ${text}`,
        ).toBe(false);
      }
      if (ticketKeysIn(c).some((key) => hidden.some((t) => t.key === key))) {
        expect(c.must_not_contain.length, `${c.id} names a hidden ticket`).toBeGreaterThan(0);
      }
    }
  });

  it('uses demo documents that never read like a refusal', () => {
    expect([...texts].filter(([, text]) => isRefusal(text)).map(([title]) => title)).toEqual([]);
  });
});
