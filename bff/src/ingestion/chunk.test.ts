import { describe, expect, it } from 'vitest';
import { type Chunk, chunkBlocks, estimateTokens } from './chunk.js';
import type { Block } from './extract/blocks.js';

const joined = (blocks: Block[]) => blocks.map((b) => b.text).join('\n\n');

/** Every chunk is exactly its slice of the extracted text, and together they cover every block. */
function expectFaithful(blocks: Block[], chunks: Chunk[]) {
  const full = joined(blocks);
  for (const chunk of chunks) expect(chunk.text).toBe(full.slice(chunk.charStart, chunk.charEnd));
  let offset = 0;
  for (const block of blocks) {
    for (let i = offset; i < offset + block.text.length; i += 1) {
      if (/\s/.test(full[i]!)) continue;
      expect(
        chunks.some((c) => c.charStart <= i && i < c.charEnd),
        `character ${i} (${full[i]}) is in no chunk`,
      ).toBe(true);
    }
    offset += block.text.length + 2;
  }
}

const sentence = (n: number) => `Sentence number ${n} says one thing.`; // 8 tokens

describe('estimateTokens', () => {
  it('counts a token per short word, per four letters of a long one, per Han character, per punctuation run', () => {
    expect(estimateTokens('Reset the password.')).toBe(2 + 1 + 2 + 1);
    expect(estimateTokens('重置密码。')).toBe(5);
    expect(estimateTokens('')).toBe(0);
  });
});

describe('chunkBlocks', () => {
  it('starts a chunk at each heading and records the heading path, outermost first', () => {
    const blocks: Block[] = [
      { kind: 'heading', level: 1, text: 'Guide' },
      { kind: 'heading', level: 2, text: 'Install' },
      { kind: 'paragraph', text: 'Download the app.' },
      { kind: 'heading', level: 3, text: 'On Linux' },
      { kind: 'paragraph', text: 'Use the tarball.' },
      { kind: 'heading', level: 2, text: 'Billing' },
      { kind: 'list', text: '- monthly\n- yearly' },
    ];
    const chunks = chunkBlocks(blocks);
    expect(chunks.map((c) => [c.text, c.headingPath])).toEqual([
      ['Guide\n\nInstall\n\nDownload the app.', ['Guide', 'Install']],
      ['On Linux\n\nUse the tarball.', ['Guide', 'Install', 'On Linux']],
      ['Billing\n\n- monthly\n- yearly', ['Guide', 'Billing']],
    ]);
    expect(chunks.every((c) => c.page === null)).toBe(true);
    expectFaithful(blocks, chunks);
  });

  it('packs whole blocks up to the target and starts the next chunk with the last sentences of the one before', () => {
    const blocks: Block[] = [
      { kind: 'heading', level: 1, text: 'Topic' },
      ...[0, 1, 2, 3, 4, 5].map((n) => ({
        kind: 'paragraph' as const,
        text: `${sentence(2 * n)} ${sentence(2 * n + 1)}`,
      })),
    ];
    const chunks = chunkBlocks(blocks, { targetTokens: 40, overlapRatio: 0.25 });
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(40);
      expect(chunk.headingPath).toEqual(['Topic']);
    }
    // Each later chunk begins with the previous chunk's final sentence (8 tokens fit the 10-token overlap).
    for (let i = 1; i < chunks.length; i += 1) {
      const lastSentence = chunks[i - 1]!.text.split('. ').at(-1)!;
      expect(chunks[i]!.text.startsWith(lastSentence.replace(/^.*\n\n/, ''))).toBe(true);
      expect(chunks[i]!.charStart).toBeLessThan(chunks[i - 1]!.charEnd);
    }
    // No block was cut: every chunk ends where a paragraph ends.
    const full = joined(blocks);
    for (const chunk of chunks) expect(['\n', undefined]).toContain(full[chunk.charEnd]);
    expectFaithful(blocks, chunks);
  });

  it('never carries overlap across a heading', () => {
    const blocks: Block[] = [
      { kind: 'paragraph', text: [0, 1, 2, 3, 4].map(sentence).join(' ') },
      { kind: 'heading', level: 2, text: 'Next' },
      { kind: 'paragraph', text: sentence(9) },
    ];
    const chunks = chunkBlocks(blocks, { targetTokens: 60 });
    expect(chunks.map((c) => c.text)).toEqual([blocks[0]!.text, `Next\n\n${sentence(9)}`]);
  });

  it('splits only a block that alone exceeds the target, at sentences', () => {
    const long = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(sentence).join(' '); // 80 tokens
    const blocks: Block[] = [
      { kind: 'paragraph', text: 'Short intro.' },
      { kind: 'paragraph', text: long },
      { kind: 'paragraph', text: `${sentence(10)} ${sentence(11)}` },
    ];
    const chunks = chunkBlocks(blocks, { targetTokens: 30, overlapRatio: 0 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(30);
      // Cut between sentences only (the intro and the long block's first sentences share a chunk).
      expect(chunk.text).toMatch(/^(Short intro\.\n\n)?Sentence number \d+ .*thing\.$/s);
    }
    // The last block fits: it stays whole.
    expect(chunks.at(-1)!.text).toBe(`${sentence(10)} ${sentence(11)}`);
    expectFaithful(blocks, chunks);
  });

  it('keeps a table whole up to twice the target, and cuts a larger one between rows', () => {
    const row = (n: number) => `Plan ${n} | ${n * 10} dollars | monthly`;
    const table = (rows: number) => Array.from({ length: rows }, (_, n) => row(n)).join('\n');
    const fits: Block[] = [{ kind: 'table', text: table(6) }];
    expect(estimateTokens(table(6))).toBeGreaterThan(30);
    expect(chunkBlocks(fits, { targetTokens: 30 }).map((c) => c.text)).toEqual([table(6)]);

    const tooBig: Block[] = [{ kind: 'table', text: table(20) }];
    const chunks = chunkBlocks(tooBig, { targetTokens: 30, overlapRatio: 0 });
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks)
      expect(chunk.text.split('\n').every((line) => /^Plan \d+ \| \d+ dollars \| monthly$/.test(line))).toBe(true);
    expectFaithful(tooBig, chunks);
  });

  it('cuts long Chinese text at its sentence ends', () => {
    const text = Array.from({ length: 12 }, (_, n) => `这是第${n}句话，讲一件事。`).join('');
    const blocks: Block[] = [{ kind: 'paragraph', text }];
    const chunks = chunkBlocks(blocks, { targetTokens: 40, overlapRatio: 0 });
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.text.endsWith('。')).toBe(true);
    expectFaithful(blocks, chunks);
  });

  it("gives each chunk the page where its own content starts, not its overlap's", () => {
    const blocks: Block[] = [
      { kind: 'heading', level: 1, text: 'Manual', page: 1 },
      { kind: 'paragraph', text: `${sentence(1)} ${sentence(2)}`, page: 1 },
      { kind: 'paragraph', text: sentence(3), page: 2 },
    ];
    const chunks = chunkBlocks(blocks, { targetTokens: 20, overlapRatio: 0.5 });
    expect(chunks.map((c) => c.page)).toEqual([1, 2]);
    expect(chunks[1]!.text).toBe(`${sentence(2)}\n\n${sentence(3)}`);
  });

  it('makes no chunk from no blocks', () => {
    expect(chunkBlocks([])).toEqual([]);
  });
});
