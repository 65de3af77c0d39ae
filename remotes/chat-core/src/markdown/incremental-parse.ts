import { markdownParser, type Token } from './parser.js';

/** The tokens of one top-level block (a paragraph, a list with everything in it, a fence, …). */
export type MarkdownBlock = readonly Token[];

/** Splits a token stream at its top-level blocks; `line` is where each block starts (0-based). */
function topLevelBlocks(tokens: Token[]): { tokens: Token[]; line: number }[] {
  const blocks: { tokens: Token[]; line: number }[] = [];
  for (const token of tokens) {
    if (token.level === 0 && token.nesting !== -1) blocks.push({ tokens: [], line: token.map?.[0] ?? 0 });
    blocks[blocks.length - 1]?.tokens.push(token);
  }
  return blocks;
}

const lineBreak = /\r\n?|\n/g;

/** Where each line of `text` starts, splitting lines as markdown-it does (CRLF, CR, LF). */
function lineStarts(text: string): number[] {
  const starts = [0];
  lineBreak.lastIndex = 0;
  for (let found = lineBreak.exec(text); found; found = lineBreak.exec(text)) {
    starts.push(found.index + found[0].length);
  }
  return starts;
}

/**
 * Parses a streaming answer without re-parsing what is already final. CommonMark decides a
 * line's part from that line and the lines before it, so a top-level block is closed for good
 * once a whole line has started the next one: later text changes only the last block (a
 * paragraph turning into a setext heading, a list gaining items, a fence closing). A line still
 * being written is not whole (`#` starts a heading, `#x` continues the paragraph above), so a
 * block that starts on it keeps the block before it open too. Reference definitions, the one
 * construct that reaches back across blocks, are off in `markdownParser`. Final blocks are
 * kept (same token objects, so the renderer's memo skips them) and the next source is parsed
 * from the line where the first open block starts. The result depends only on the source,
 * never on how it arrived (a test checks every prefix); a source that does not extend the
 * previous one starts afresh.
 *
 * Cost per update: O(length of the open blocks) to parse, plus an O(final prefix) string compare.
 * A single 40k-character paragraph streamed in is still parsed whole on each delta; the BFF
 * batches deltas every ~50 ms, so that is ~20 linear parses a second at worst.
 */
export class IncrementalParser {
  private source = '';
  /** Offset in `source` where the first open block's line starts; everything before is final. */
  private stableEnd = 0;
  private stable: MarkdownBlock[] = [];
  private blocks: readonly MarkdownBlock[] = [];
  /** Characters handed to markdown-it so far: what tests count instead of timing the parser. */
  parsedChars = 0;

  /** The blocks of `source`, in order; unchanged blocks keep their identity between calls. */
  parse(source: string): readonly MarkdownBlock[] {
    if (source === this.source) return this.blocks;
    if (!source.startsWith(this.source.slice(0, this.stableEnd))) {
      this.stableEnd = 0;
      this.stable = [];
    }
    const tail = source.slice(this.stableEnd);
    this.parsedChars += tail.length;
    const parsed = topLevelBlocks(markdownParser.parse(tail, {}));
    const starts = lineStarts(tail);
    const unfinishedLine = /[\r\n]$/.test(tail) ? Number.POSITIVE_INFINITY : starts.length - 1;
    let firstOpen = parsed.length - 1;
    if (firstOpen > 0 && parsed[firstOpen]!.line >= unfinishedLine) firstOpen--;
    for (const block of parsed.slice(0, Math.max(firstOpen, 0))) this.stable.push(block.tokens);
    if (firstOpen > 0) this.stableEnd += starts[parsed[firstOpen]!.line] ?? tail.length;
    this.source = source;
    this.blocks = [...this.stable, ...parsed.slice(Math.max(firstOpen, 0)).map((block) => block.tokens)];
    return this.blocks;
  }
}
