/** What an extractor yields: the document's structure, in reading order. */
export type BlockKind = 'heading' | 'paragraph' | 'list' | 'table' | 'code';

export interface Block {
  kind: BlockKind;
  text: string;
  /** Heading level, 1 outermost. */
  level?: number;
  /** 1-based page (PDF only). */
  page?: number;
}

/** Blocks plus the page count (PDF only). The extracted text is the blocks' texts joined by `\n\n`. */
export interface ExtractedDocument {
  blocks: Block[];
  pageCount: number | null;
}

/** The separator between blocks in the extracted text, which chunk offsets point into. */
export const blockSeparator = '\n\n';

const cjk = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u3000-\\u303f\\uff00-\\uffef';
const spaceBetweenCjk = new RegExp(`(?<=[${cjk}]) (?=[${cjk}])`, 'gu');

/**
 * Runs of whitespace → one space, trimmed; none left between two CJK characters or
 * punctuation (a line wrap inside Chinese text is not a word break).
 */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(spaceBetweenCjk, '');
}

/** Line endings → `\n`; other control characters than tab and newline carry no text: dropped. */
export function dropControlCharacters(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
  return text.replace(/\r\n?|\f/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** Blocks with text, so no empty passage is ever indexed. */
export function nonEmpty(blocks: Block[]): Block[] {
  return blocks.filter((block) => block.text.trim() !== '');
}
