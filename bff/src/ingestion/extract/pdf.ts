import { createRequire } from 'node:module';
import path from 'node:path';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { IngestionFailure } from '../failure.js';
import { type Block, collapseWhitespace, type ExtractedDocument, nonEmpty } from './blocks.js';

// Character maps (CJK fonts without a ToUnicode table need them) and the standard 14 fonts' metrics ship with pdfjs-dist.
const pdfjsRoot = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const cMapUrl = `${path.join(pdfjsRoot, 'cmaps')}${path.sep}`;
const standardFontDataUrl = `${path.join(pdfjsRoot, 'standard_fonts')}${path.sep}`;

/*
 * pdfjs-dist's legacy build bundles core-js, which on Node 20 (V8 ≤ 121, core-js' test for
 * https://bugs.chromium.org/p/v8/issues/detail?id=12681) replaces the global
 * `Array.prototype.push` with a JavaScript polyfill, once for pdf.mjs and once more for the
 * worker module it loads on the first document: every push in the process — pg, pino, Hono,
 * drizzle — then ran through it (issue 12: ~3% of the BFF's CPU per request, `--cpu-prof` in
 * bench/chats-rps.ts). Both modules are loaded on the first PDF, the worker handed to pdfjs as
 * `globalThis.pdfjsWorker` (its documented way to run the worker on the main thread), and the
 * native push is put back; the polyfill differs only on arrays whose length is not writable.
 */
let pdfjs: Promise<typeof import('pdfjs-dist/legacy/build/pdf.mjs')> | null = null;

function loadPdfjs() {
  if (!pdfjs) {
    const nativePush = Object.getOwnPropertyDescriptor(Array.prototype, 'push')!;
    pdfjs = Promise.all([
      import('pdfjs-dist/legacy/build/pdf.mjs'),
      // @ts-expect-error the worker module ships without type declarations.
      import('pdfjs-dist/legacy/build/pdf.worker.mjs'),
    ]).then(([api, worker]) => {
      (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
      return api;
    });
    pdfjs.finally(() => Object.defineProperty(Array.prototype, 'push', nativePush)).catch(() => undefined);
  }
  return pdfjs;
}

interface Line {
  text: string;
  /** Font size in points (from the text matrix). */
  size: number;
  /** Baseline, from the page's bottom. */
  y: number;
}

interface Paragraph {
  items: string[];
  size: number;
  list: boolean;
  page: number;
}

const bullet = /^(?:[•◦▪‣●○■□–-]|\d{1,3}[.)])\s/u;

/** One page's text items → lines, by the end-of-line flags and by baseline changes. */
function linesOf(items: TextItem[]): Line[] {
  const lines: Line[] = [];
  let current: (Line & { endX: number }) | null = null;
  for (const item of items) {
    const [, , c, d, x, y] = item.transform as number[];
    const size = Math.hypot(c!, d!) || item.height;
    if (current && Math.abs(y! - current.y) > Math.max(current.size, size) * 0.5) {
      lines.push(current);
      current = null;
    }
    if (item.str !== '') {
      if (!current) current = { text: '', size: 0, y: y!, endX: x! };
      const gap = x! - current.endX;
      // Some producers position words instead of writing spaces.
      if (current.text && gap > size * 0.15 && !/\s$/.test(current.text) && !/^\s/.test(item.str)) current.text += ' ';
      current.text += item.str;
      current.size = Math.max(current.size, size);
      current.endX = x! + item.width;
    }
    if (item.hasEOL && current) {
      lines.push(current);
      current = null;
    }
  }
  if (current) lines.push(current);
  return lines.filter((line) => line.text.trim() !== '');
}

/** Lines → paragraphs: a new one at a change of font size, a vertical gap, or a bullet after prose. */
function paragraphsOf(lines: Line[], page: number): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let previous: Line | null = null;
  for (const line of lines) {
    const text = line.text.trim();
    const isBullet = bullet.test(text);
    const last = paragraphs.at(-1);
    const sameBlock =
      previous !== null &&
      last !== undefined &&
      Math.abs(line.size - previous.size) <= previous.size * 0.15 &&
      previous.y - line.y > 0 &&
      previous.y - line.y <= Math.max(line.size, previous.size) * 1.6 &&
      (!isBullet || last.list);
    if (sameBlock && last) {
      if (isBullet) last.items.push(text);
      else last.items[last.items.length - 1] = joinLines(last.items.at(-1)!, text);
    } else {
      paragraphs.push({ items: [text], size: line.size, list: isBullet, page });
    }
    previous = line;
  }
  return paragraphs;
}

/** A wrapped line continues the one before: a hyphen at a line break joins a split word. */
function joinLines(before: string, after: string): string {
  if (/\p{L}-$/u.test(before) && /^\p{Ll}/u.test(after)) return before.slice(0, -1) + after;
  return collapseWhitespace(`${before} ${after}`);
}

const roundSize = (size: number) => Math.round(size * 2) / 2;

/**
 * Paragraphs → blocks. The body size is the size most text is set in; a short paragraph set at
 * least 15% larger is a heading, its level the rank of its size among heading sizes.
 */
function blocksOf(paragraphs: Paragraph[]): Block[] {
  const weight = new Map<number, number>();
  for (const p of paragraphs) {
    const size = roundSize(p.size);
    weight.set(size, (weight.get(size) ?? 0) + p.items.join('').length);
  }
  const bodySize = [...weight.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
  const isHeading = (p: Paragraph) =>
    !p.list && p.items.length === 1 && p.items[0]!.length <= 200 && roundSize(p.size) >= bodySize * 1.15;
  const headingSizes = [...new Set(paragraphs.filter(isHeading).map((p) => roundSize(p.size)))].sort((a, b) => b - a);
  return paragraphs.map((p): Block => {
    if (isHeading(p)) {
      return {
        kind: 'heading',
        level: Math.min(6, headingSizes.indexOf(roundSize(p.size)) + 1),
        text: p.items[0]!,
        page: p.page,
      };
    }
    if (p.list) return { kind: 'list', text: p.items.join('\n'), page: p.page };
    return { kind: 'paragraph', text: p.items.join(' '), page: p.page };
  });
}

function failureOf(error: unknown): IngestionFailure {
  if (error instanceof IngestionFailure) return error;
  const name = (error as { name?: string } | null)?.name;
  if (name === 'PasswordException') {
    return new IngestionFailure('document.encrypted', 'The PDF is protected by a password; upload it without one.');
  }
  return new IngestionFailure('document.unreadable', `The PDF could not be read: ${(error as Error).message}`);
}

/**
 * PDF → blocks with their 1-based page, through pdfjs-dist's legacy build (the one meant for
 * Node; 4.x is the last major whose engines allow Node 20). The page count is checked before
 * any page is read; pages are read one at a time and released. No fonts are loaded into the
 * process and no script in the PDF is evaluated.
 *
 * Fails with `document.too_many_pages` (more than `maxPages`), `document.encrypted` (a user
 * password is needed), `document.unreadable` (damaged); a PDF without a text layer (scans,
 * images only) yields no blocks, which the caller reports as `document.no_text`.
 */
export async function extractPdf(
  bytes: Uint8Array,
  options: { maxPages: number; signal?: AbortSignal },
): Promise<ExtractedDocument> {
  const { getDocument } = await loadPdfjs();
  const task = getDocument({
    // pdfjs may take ownership of the buffer it is given.
    data: new Uint8Array(bytes),
    cMapUrl,
    cMapPacked: true,
    standardFontDataUrl,
    disableFontFace: true,
    useSystemFonts: false,
    isEvalSupported: false,
    isOffscreenCanvasSupported: false,
    verbosity: 0,
  });
  try {
    const pdf = await task.promise;
    if (pdf.numPages > options.maxPages) {
      throw new IngestionFailure(
        'document.too_many_pages',
        `The PDF has ${pdf.numPages} pages; at most ${options.maxPages} are read.`,
      );
    }
    const paragraphs: Paragraph[] = [];
    for (let n = 1; n <= pdf.numPages; n += 1) {
      options.signal?.throwIfAborted();
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      paragraphs.push(...paragraphsOf(linesOf(content.items.filter((i): i is TextItem => 'str' in i)), n));
      page.cleanup();
    }
    return { blocks: nonEmpty(blocksOf(paragraphs)), pageCount: pdf.numPages };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw failureOf(error);
  } finally {
    await task.destroy();
  }
}
