import type { DocumentMediaType } from '@atrium/contracts';
import { decodeText } from '../detect-type.js';
import { IngestionFailure } from '../failure.js';
import type { Block, ExtractedDocument } from './blocks.js';
import { extractDocx } from './docx.js';
import { extractHtml } from './html.js';
import { extractMarkdown } from './markdown.js';
import { extractPdf } from './pdf.js';
import { extractPlainText } from './text.js';

export type { Block, BlockKind, ExtractedDocument } from './blocks.js';
export { blockSeparator } from './blocks.js';

export interface ExtractOptions {
  /** PDFs with more pages fail as `document.too_many_pages` (config `ATRIUM_PDF_MAX_PAGES`). */
  maxPages: number;
  /** Stops between PDF pages once aborted (the job's lease was lost). */
  signal?: AbortSignal;
}

function textOf(bytes: Uint8Array): string {
  const text = decodeText(bytes);
  if (text === null) throw new IngestionFailure('document.unsupported_type', 'The file is not text.');
  return text;
}

/**
 * Bytes of a detected `mediaType` → `ExtractedDocument { blocks, pageCount }` (see
 * extract/blocks.ts). Every way it can fail is an `IngestionFailure` carrying a contracts
 * `DocumentFailure` code: a document with no text at all fails as `document.no_text`; an
 * unexpected error inside a parsing library as `document.unreadable`. Only an abort through
 * `signal` escapes as itself.
 */
export async function extract(
  bytes: Uint8Array,
  mediaType: DocumentMediaType,
  options: ExtractOptions = { maxPages: 2000 },
): Promise<ExtractedDocument> {
  let extracted: ExtractedDocument;
  try {
    extracted = await extractByType(bytes, mediaType, options);
  } catch (error) {
    if (error instanceof IngestionFailure || options.signal?.aborted) throw error;
    throw new IngestionFailure('document.unreadable', `The file could not be read: ${(error as Error).message}`);
  }
  if (extracted.blocks.length === 0) {
    throw new IngestionFailure(
      'document.no_text',
      mediaType === 'application/pdf'
        ? 'The PDF has no text layer (scanned pages or images only).'
        : 'The file holds no text.',
    );
  }
  return extracted;
}

async function extractByType(
  bytes: Uint8Array,
  mediaType: DocumentMediaType,
  options: ExtractOptions,
): Promise<ExtractedDocument> {
  const withoutPages = (blocks: Block[]): ExtractedDocument => ({ blocks, pageCount: null });
  switch (mediaType) {
    case 'application/pdf':
      return extractPdf(bytes, options);
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
      return withoutPages(await extractDocx(bytes));
    case 'text/html':
      return withoutPages(extractHtml(textOf(bytes)));
    case 'text/markdown':
      return withoutPages(extractMarkdown(textOf(bytes)));
    case 'text/plain':
      return withoutPages(extractPlainText(textOf(bytes)));
  }
}
