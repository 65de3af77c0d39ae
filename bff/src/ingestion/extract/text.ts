import { type Block, dropControlCharacters, nonEmpty } from './blocks.js';

/**
 * Plain text → one paragraph per run of lines between blank lines. Line breaks inside a
 * paragraph are kept (plain text has no other way to say "list" or "address"); trailing
 * spaces are not.
 */
export function extractPlainText(text: string): Block[] {
  return nonEmpty(
    dropControlCharacters(text)
      .split(/\n[ \t]*\n/)
      .map((paragraph) => ({
        kind: 'paragraph' as const,
        text: paragraph
          .split('\n')
          .map((line) => line.trimEnd())
          .join('\n')
          .replace(/^\n+|\n+$/g, ''),
      })),
  );
}
