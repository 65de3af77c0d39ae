import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { demoManifestSchema } from '@atrium/contracts';
import { describe, expect, it } from 'vitest';

const dir = import.meta.dirname;
const manifest = demoManifestSchema.parse(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
const notDocuments = new Set(['manifest.json', 'make-binaries.ts', 'binary-texts.ts']);
const han = /\p{Script=Han}/u;

/** The first heading of a text document, as a reader sees it. */
function firstHeading(file: string, text: string): string | undefined {
  if (file.endsWith('.md')) return /^# (.+)$/m.exec(text)?.[1];
  if (file.endsWith('.html')) return /<h1>([^<]+)<\/h1>/.exec(text)?.[1];
  return text.split('\n')[0];
}

describe('the demo knowledge base manifest', () => {
  it('lists every document in the folder exactly once, each under 100 KB', async () => {
    const files = (await readdir(dir)).filter((name) => !notDocuments.has(name) && !name.endsWith('.test.ts'));
    expect(manifest.map((entry) => entry.file).sort()).toEqual(files.sort());
    for (const { file } of manifest) expect((await stat(join(dir, file))).size).toBeLessThan(100 * 1024);
  });

  it('gives each document a unique title, the one its text opens with', async () => {
    expect(new Set(manifest.map((entry) => entry.title)).size).toBe(manifest.length);
    for (const { file, title } of manifest.filter((entry) => /\.(md|txt|html)$/.test(entry.file))) {
      expect(firstHeading(file, await readFile(join(dir, file), 'utf8')), file).toBe(title);
    }
  });

  it('mixes formats, languages and audiences as the evals need', () => {
    expect(manifest.length).toBeGreaterThanOrEqual(20);
    expect(new Set(manifest.map((entry) => extname(entry.file)))).toEqual(
      new Set(['.md', '.txt', '.html', '.pdf', '.docx']),
    );
    expect(manifest.filter((entry) => han.test(entry.title)).length).toBeGreaterThanOrEqual(5);
    const audiences = manifest.map((entry) => entry.audience);
    expect(audiences).toContain('agent_l1');
    expect(audiences).toContain('agent_l2');
    expect(audiences).not.toContain('private');
  });
});
