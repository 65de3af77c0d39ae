import type { DocumentMediaType } from '@atrium/contracts';
import { IngestionFailure } from './failure.js';
import { zipEntries } from './zip.js';

const pdfMagic = '%PDF-';
const zipMagic = [0x50, 0x4b, 0x03, 0x04];

/**
 * Bytes → text, or null when they are not text: UTF-8 (a BOM is dropped) or UTF-16 with its
 * BOM, with no NUL and almost no other control characters. Executables, images and other
 * binaries fail here however they are named.
 */
export function decodeText(bytes: Uint8Array): string | null {
  const encoding =
    bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  if (text.includes('\u0000')) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: counting them is the point.
  const controls = text.match(/[\u0001-\u0008\u000e-\u001f\u007f]/g)?.length ?? 0;
  // A few stray controls occur in real text files (form feeds, escape codes); binaries have many.
  return controls > Math.max(8, text.length / 1000) ? null : text;
}

const htmlStart = /^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]/i;
const htmlFragmentStart = /^<(?:p|div|h[1-6]|table|ul|ol|article|section|main|title|meta)[\s>]/i;

/** Lines that only Markdown gives meaning to, each worth a score; plain text rarely has them. */
const markdownSignals: [RegExp, number][] = [
  [/^#{1,6}[ \t]+\S/m, 3], // ATX heading
  [/^(```|~~~)/m, 3], // fenced code
  [/^\|?[ \t]*:?-{3,}:?[ \t]*\|/m, 3], // table delimiter row
  [/^\S.*\n(=+|-+)[ \t]*$/m, 2], // setext heading
  [/^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\S/m, 1], // list item
  [/\[[^\]\n]+\]\([^)\s]+\)/, 1], // link or image
  [/(\*\*|__)\S[^\n]*?\S\1/, 1], // strong emphasis
  [/^>[ \t]?\S/m, 1], // block quote
  [/`[^`\n]+`/, 1], // inline code
];

function looksLikeMarkdown(text: string): boolean {
  const sample = text.slice(0, 64 * 1024);
  let score = 0;
  for (const [pattern, weight] of markdownSignals) if (pattern.test(sample)) score += weight;
  return score >= 3;
}

/**
 * The media type of an uploaded file, from its content (design: docs/knowledge-base.md):
 * `%PDF-` → PDF; a ZIP holding `word/document.xml` → DOCX; otherwise text (see `decodeText`),
 * then HTML when it starts like an HTML document, Markdown when its lines use Markdown syntax
 * or `filename` ends in `.md`/`.markdown`, else plain text. The filename never decides alone:
 * it only chooses between Markdown and plain text for bytes that are text anyway.
 *
 * Fails with `document.no_text` (0 bytes or only whitespace), `document.unsupported_type`
 * (anything else, e.g. a renamed `.exe`, an image, an `.xlsx`), `document.unreadable` (a
 * damaged ZIP).
 */
export async function detectType(bytes: Uint8Array, filename?: string): Promise<DocumentMediaType> {
  if (bytes.length === 0) throw new IngestionFailure('document.no_text', 'The file is empty.');
  if (new TextDecoder('latin1').decode(bytes.subarray(0, pdfMagic.length)) === pdfMagic) return 'application/pdf';
  if (zipMagic.every((byte, i) => bytes[i] === byte)) {
    const names = new Set((await zipEntries(bytes)).map((entry) => entry.name));
    if (names.has('word/document.xml')) {
      return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    }
    throw new IngestionFailure('document.unsupported_type', 'This archive is not a Word (.docx) document.');
  }
  const text = decodeText(bytes);
  if (text === null) {
    throw new IngestionFailure(
      'document.unsupported_type',
      'This file type is not supported: upload text, Markdown, HTML, PDF or Word (.docx).',
    );
  }
  const start = text.trimStart();
  if (start === '') throw new IngestionFailure('document.no_text', 'The file holds no text.');
  if (htmlStart.test(start) || htmlFragmentStart.test(start)) return 'text/html';
  if (/\.(md|markdown)$/i.test(filename ?? '') || looksLikeMarkdown(text)) return 'text/markdown';
  return 'text/plain';
}
