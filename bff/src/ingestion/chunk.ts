import { type Block, blockSeparator } from './extract/blocks.js';

/** A passage to index: a slice of the extracted text with where it sits in the document. */
export interface Chunk {
  /** `extractedText.slice(charStart, charEnd)`. */
  text: string;
  /** Headings above the passage, outermost first. */
  headingPath: string[];
  /** 1-based page where the passage's own content starts (PDF); null for other formats. */
  page: number | null;
  /** Offsets into the extracted text (blocks joined by `\n\n`), UTF-16 code units, end exclusive. */
  charStart: number;
  charEnd: number;
  tokenCount: number;
}

export interface ChunkOptions {
  /** Tokens a chunk aims at (estimated, see `estimateTokens`). Default 300. */
  targetTokens?: number;
  /** Share of the target repeated from the end of the previous chunk in the same section. Default 0.15. */
  overlapRatio?: number;
}

/** Tables and code stay whole up to this multiple of the target: cut in half they mean little. */
const wholeBlockFactor = 2;

const word = /(\p{Script=Han})|(?:(?!\p{Script=Han})[\p{L}\p{N}\p{M}])+|[^\s\p{L}\p{N}\p{M}]+/gu;

/**
 * Estimated model tokens: one per Han character, one per four letters of a word (rounded up),
 * one per run of punctuation. Close enough to BPE tokenizers (cl100k: ~1 token per common
 * English word, ~1–1.5 per Chinese character) to size chunks; never used for billing.
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const match of text.matchAll(word)) {
    if (match[1] !== undefined || !/[\p{L}\p{N}]/u.test(match[0])) tokens += 1;
    else tokens += Math.ceil(match[0].length / 4);
  }
  return tokens;
}

/** A stretch of the extracted text the packer places whole: a block, or a piece of an oversized one. */
interface Unit {
  start: number;
  end: number;
  tokens: number;
  block: number;
}

const sentences = new Intl.Segmenter('und', { granularity: 'sentence' });
const words = new Intl.Segmenter('und', { granularity: 'word' });

/** Trimmed ranges of `segments` (from an Intl.Segmenter or a line split) of a text that starts at `offset`. */
function ranges(offset: number, segments: Iterable<{ index: number; segment: string }>) {
  const out: { start: number; end: number }[] = [];
  for (const { index, segment } of segments) {
    const lead = segment.length - segment.trimStart().length;
    const body = segment.trim();
    if (body) out.push({ start: offset + index + lead, end: offset + index + lead + body.length });
  }
  return out;
}

const linesOf = (text: string) => {
  const out: { index: number; segment: string }[] = [];
  let index = 0;
  for (const segment of text.split('\n')) {
    out.push({ index, segment });
    index += segment.length + 1;
  }
  return out;
};

/**
 * Pieces of a block over its limit: lines for tables and code, sentences otherwise; a piece
 * still over the target is cut into words (Intl.Segmenter, which also separates Chinese words).
 */
function split(full: string, start: number, end: number, block: Block, target: number): Unit[] {
  const text = full.slice(start, end);
  const coarse =
    block.kind === 'table' || block.kind === 'code'
      ? ranges(start, linesOf(text))
      : ranges(start, sentences.segment(text));
  const units: Unit[] = [];
  for (const piece of coarse) {
    const pieceText = full.slice(piece.start, piece.end);
    const tokens = estimateTokens(pieceText);
    if (tokens <= target) {
      units.push({ ...piece, tokens, block: -1 });
      continue;
    }
    for (const w of ranges(piece.start, words.segment(pieceText))) {
      units.push({ ...w, tokens: estimateTokens(full.slice(w.start, w.end)), block: -1 });
    }
  }
  return units;
}

/**
 * Where the overlap starting the next chunk begins: the trailing sentences of `[start, end)`
 * within `budget` tokens, or its trailing words when even the last sentence is longer.
 * Returns `end` for no overlap.
 */
function overlapStart(full: string, start: number, end: number, budget: number): number {
  if (budget <= 0) return end;
  const text = full.slice(start, end);
  let used = 0;
  let from = end;
  const bySentence = ranges(start, sentences.segment(text));
  for (let i = bySentence.length - 1; i >= 0; i -= 1) {
    const tokens = estimateTokens(full.slice(bySentence[i]!.start, bySentence[i]!.end));
    if (used + tokens > budget) break;
    used += tokens;
    from = bySentence[i]!.start;
  }
  if (from < end) return from;
  const last = bySentence.at(-1);
  if (!last) return end;
  const lastText = full.slice(last.start, last.end);
  const byWord = ranges(last.start, words.segment(lastText));
  for (let i = byWord.length - 1; i >= 0; i -= 1) {
    const tokens = estimateTokens(full.slice(byWord[i]!.start, byWord[i]!.end));
    if (used + tokens > budget) break;
    used += tokens;
    from = byWord[i]!.start;
  }
  return from;
}

/**
 * Blocks → chunks that follow the document's structure (design: docs/knowledge-base.md):
 * - a heading starts a new chunk (several headings in a row stay together with the text below);
 * - blocks are packed whole up to `targetTokens`; a block is split only when it alone exceeds
 *   the target (tables and code: twice the target), at lines or sentences, then words;
 * - a chunk that continues a section starts with ~`overlapRatio` of the target taken from the
 *   end of the one before (whole sentences where they fit), never crossing a heading.
 * Offsets point into the extracted text (blocks joined by `\n\n`), so `text` is exactly
 * `extracted.slice(charStart, charEnd)`.
 */
export function chunkBlocks(blocks: Block[], options: ChunkOptions = {}): Chunk[] {
  const target = options.targetTokens ?? 300;
  const overlap = Math.round(target * (options.overlapRatio ?? 0.15));
  const full = blocks.map((b) => b.text).join(blockSeparator);

  const units: Unit[] = [];
  let offset = 0;
  blocks.forEach((block, index) => {
    const start = offset;
    const end = start + block.text.length;
    offset = end + blockSeparator.length;
    const tokens = estimateTokens(block.text);
    const limit = block.kind === 'table' || block.kind === 'code' ? target * wholeBlockFactor : target;
    if (block.kind === 'heading' || tokens <= limit) units.push({ start, end, tokens, block: index });
    else for (const unit of split(full, start, end, block, target)) units.push({ ...unit, block: index });
  });

  const chunks: Chunk[] = [];
  const headings: { level: number; text: string }[] = [];
  let current: {
    start: number;
    end: number;
    tokens: number;
    /** The first unit that is not a heading nor overlap: where the chunk's own content starts. */
    content: Unit | null;
    headingPath: string[] | null;
  } | null = null;

  const emit = () => {
    if (!current) return;
    const text = full.slice(current.start, current.end);
    const first = current.content;
    chunks.push({
      text,
      headingPath: current.headingPath ?? headings.map((h) => h.text),
      page: (first ? blocks[first.block]!.page : undefined) ?? null,
      charStart: current.start,
      charEnd: current.end,
      tokenCount: estimateTokens(text),
    });
  };

  for (const unit of units) {
    const block = blocks[unit.block]!;
    if (block.kind === 'heading') {
      if (current?.content) {
        emit();
        current = null;
      }
      const level = block.level ?? 1;
      while (headings.length > 0 && headings.at(-1)!.level >= level) headings.pop();
      headings.push({ level, text: block.text });
      current ??= { start: unit.start, end: unit.end, tokens: 0, content: null, headingPath: null };
      current.end = unit.end;
      current.tokens += unit.tokens;
      continue;
    }
    if (current?.content && current.tokens + unit.tokens > target) {
      emit();
      const from = overlapStart(full, current.start, current.end, Math.min(overlap, target - unit.tokens));
      current =
        from < current.end
          ? {
              start: from,
              end: current.end,
              tokens: estimateTokens(full.slice(from, current.end)),
              content: null,
              headingPath: null,
            }
          : null;
    }
    current ??= { start: unit.start, end: unit.end, tokens: 0, content: null, headingPath: null };
    if (!current.content) {
      current.content = unit;
      current.headingPath = headings.map((h) => h.text);
    }
    current.end = unit.end;
    current.tokens += unit.tokens;
  }
  emit();
  return chunks;
}
