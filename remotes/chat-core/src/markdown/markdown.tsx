import { memo, useMemo, useRef } from 'react';
import { IncrementalParser, type MarkdownBlock } from './incremental-parse.js';
import { renderMarkdownBlock } from './render.js';

export interface MarkdownLabels {
  copy: string;
  copied: string;
  copyFailed: string;
  /** Shown on a code block that names no language. */
  code: string;
}

/** How `[n]` citation markers render: as chips for the numbers the answer really cites. */
export interface CitationChips {
  /** Accessible name of each cited number's chip ("Source 1: Title"); a number not here stays text. */
  names: ReadonlyMap<number, string>;
  /** A chip was activated. */
  onCite(n: number): void;
}

interface BlockProps {
  tokens: MarkdownBlock;
  labels: MarkdownLabels;
  chips: CitationChips | undefined;
}

/** One top-level block; a finished block keeps its tokens' identity, so it renders once. */
const Block = memo(function Block({ tokens, labels, chips }: BlockProps) {
  return renderMarkdownBlock(tokens, labels, chips);
});

/**
 * Renders an answer's Markdown (CommonMark through markdown-it, see `parser.ts`) as React
 * elements: never raw HTML (React escapes every string), links only to http(s)/mailto, images
 * never loaded, fenced code with a Copy button. Parsing is linear in the text's length, and
 * while an answer streams only its last block is parsed again (`incremental-parse.ts`).
 * Partial input renders as far as it goes (an unclosed fence is a code block so far).
 * `[n]` markers are chips for the numbers `chips` names (never inside code or links).
 * `labels` and `chips` should keep their identity between renders, or every block renders again.
 */
export const Markdown = memo(function Markdown({
  source,
  labels,
  chips,
}: {
  source: string;
  labels: MarkdownLabels;
  chips?: CitationChips;
}) {
  const parser = useRef<IncrementalParser | null>(null);
  parser.current ??= new IncrementalParser();
  const incremental = parser.current;
  const blocks = useMemo(() => incremental.parse(source), [incremental, source]);
  return (
    <div className="chat-md">
      {blocks.map((tokens, index) => (
        // Blocks only ever grow at the end, so a block's position is its identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <Block key={index} tokens={tokens} labels={labels} chips={chips} />
      ))}
    </div>
  );
});
