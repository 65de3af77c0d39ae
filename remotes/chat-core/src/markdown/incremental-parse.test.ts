import { describe, expect, test } from 'vitest';
import { IncrementalParser, type MarkdownBlock } from './incremental-parse.js';

type Token = MarkdownBlock[number];

/** What a block renders from: every token's kind and content, without line numbers. */
function shape(blocks: readonly MarkdownBlock[]): string[] {
  const flatten = (tokens: readonly Token[] | null): string =>
    (tokens ?? [])
      .map((t) => `${t.type}|${t.tag}|${t.content}|${t.info}|${t.markup}|${t.hidden}|${JSON.stringify(t.attrs)}`)
      .concat((tokens ?? []).map((t) => flatten(t.children)))
      .join('\n');
  return blocks.map((tokens) => flatten(tokens));
}

const oneShot = (source: string) => new IncrementalParser().parse(source);

// Every construct whose meaning depends on a later line or character, one after another.
const answer = [
  'Intro with **bold**, a [link](https://example.com/a) and https://x.test/p.',
  'Title\n=====',
  'Sub\n---',
  '---',
  '# heading\n#not heading\ntext\n#x continues the paragraph\n***not a rule either',
  '- one\n- two\n\n  loose now\n- three\n1. other list',
  'para\n1. interrupts\n2. next',
  '> quote\nlazy line\n> > nested',
  '```ts\nconst a = 1;\n\n```\n',
  '    indented code\n\n    more code',
  '~~~\nunclosed',
].join('\n\n');

describe('IncrementalParser', () => {
  test('every prefix of a streamed answer parses exactly as the same text at once', () => {
    const stream = new IncrementalParser();
    for (let end = 1; end <= answer.length; end++) {
      const prefix = answer.slice(0, end);
      expect(shape(stream.parse(prefix)), JSON.stringify(prefix)).toEqual(shape(oneShot(prefix)));
    }
  });

  test('CRLF line breaks split blocks at the same places', () => {
    const crlf = answer.replaceAll('\n', '\r\n');
    const stream = new IncrementalParser();
    for (let end = 1; end <= crlf.length; end += 7) stream.parse(crlf.slice(0, end));
    expect(shape(stream.parse(crlf))).toEqual(shape(oneShot(crlf)));
    expect(shape(oneShot(crlf))).toEqual(shape(oneShot(answer)));
  });

  test('finished blocks keep their tokens; only the open block is new', () => {
    const stream = new IncrementalParser();
    const before = stream.parse('First paragraph.\n\nSecond,\n');
    const after = stream.parse('First paragraph.\n\nSecond,\ngrowing');
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(stream.parse('First paragraph.\n\nSecond,\ngrowing')).toBe(after);
    // A block that starts on a line still being written keeps the one before it open:
    // `#` is a heading, but `#x` would continue the paragraph.
    const partial = stream.parse('First paragraph.\n\nSecond,\ngrowing\n#');
    expect(partial[0]).toBe(before[0]);
    expect(shape(stream.parse('First paragraph.\n\nSecond,\ngrowing\n#x'))).toEqual(
      shape(oneShot('First paragraph.\n\nSecond,\ngrowing\n#x')),
    );
  });

  test('a text that does not extend the previous one (a regenerated answer) starts afresh', () => {
    const stream = new IncrementalParser();
    stream.parse('Old answer.\n\nMore');
    expect(shape(stream.parse('New answer'))).toEqual(shape(oneShot('New answer')));
  });

  test('streaming a 40k-character answer parses each character about once, not once per delta', () => {
    const section = 'A paragraph with **bold** and [a link](https://example.com).\n\n- item one\n- item two\n\n';
    const text = section.repeat(Math.ceil(40_000 / section.length));
    const stream = new IncrementalParser();
    let deltas = 0;
    for (let end = 50; end < text.length + 50; end += 50, deltas++) stream.parse(text.slice(0, end));
    // Re-parsing the whole text per delta, as the old renderer did, would be ~400 times the text.
    expect(deltas).toBeGreaterThan(800);
    expect(stream.parsedChars).toBeLessThan(3 * text.length);
    expect(shape(stream.parse(text))).toEqual(shape(oneShot(text)));
  });
});
