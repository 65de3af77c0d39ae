/** Block structure of the Markdown subset answers use. Inline text stays raw; `parse-inline.ts` reads it. */
export type Block =
  | { type: 'paragraph'; text: string }
  | { type: 'heading'; level: number; text: string }
  /** `closed` is false while an answer is still streaming inside the fence. */
  | { type: 'code'; lang: string; code: string; closed: boolean }
  | { type: 'quote'; children: Block[] }
  | { type: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { type: 'rule' };

const fenceOpen = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;
const heading = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const rule = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const quote = /^ {0,3}> ?(.*)$/;
const listItem = /^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+(.*))?$/;

function isBlank(line: string): boolean {
  return line.trim() === '';
}

function startsBlock(line: string): boolean {
  return fenceOpen.test(line) || heading.test(line) || rule.test(line) || quote.test(line) || isListStart(line);
}

function isListStart(line: string): boolean {
  const match = listItem.exec(line);
  return Boolean(match?.[4]?.trim());
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

export function parseBlocks(source: string): Block[] {
  return parseLines(source.replace(/\r\n?/g, '\n').split('\n'));
}

function parseLines(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = fenceOpen.exec(line);
    if (fence) {
      i = readFence(lines, i, fence[1]!, fence[2] ?? '', blocks);
      continue;
    }
    const head = heading.exec(line);
    if (head) {
      blocks.push({ type: 'heading', level: head[1]!.length, text: head[2] ?? '' });
      i++;
      continue;
    }
    if (rule.test(line)) {
      blocks.push({ type: 'rule' });
      i++;
      continue;
    }
    if (quote.test(line)) {
      const inner: string[] = [];
      for (let match = quote.exec(line); i < lines.length && match; match = quote.exec(lines[i] ?? '')) {
        inner.push(match[1]!);
        i++;
      }
      blocks.push({ type: 'quote', children: parseLines(inner) });
      continue;
    }
    if (isListStart(line)) {
      i = readList(lines, i, blocks);
      continue;
    }
    const text: string[] = [];
    while (i < lines.length && !isBlank(lines[i]!) && (text.length === 0 || !startsBlock(lines[i]!))) {
      text.push(lines[i]!.trim());
      i++;
    }
    blocks.push({ type: 'paragraph', text: text.join('\n') });
  }
  return blocks;
}

function readFence(lines: string[], start: number, marker: string, lang: string, blocks: Block[]): number {
  const closing = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`);
  const code: string[] = [];
  let i = start + 1;
  while (i < lines.length && !closing.test(lines[i]!)) {
    code.push(lines[i]!);
    i++;
  }
  const closed = i < lines.length;
  blocks.push({ type: 'code', lang, code: code.join('\n'), closed });
  return closed ? i + 1 : i;
}

function readList(lines: string[], start: number, blocks: Block[]): number {
  const first = listItem.exec(lines[start]!)!;
  const ordered = /\d/.test(first[2]!);
  const baseIndent = first[1]!.length;
  const items: string[][] = [];
  let contentIndent = 0;
  let i = start;
  while (i < lines.length) {
    const line = lines[i]!;
    const item = listItem.exec(line);
    if (item && item[1]!.length === baseIndent && /\d/.test(item[2]!) === ordered && item[4]?.trim()) {
      contentIndent = item[1]!.length + item[2]!.length + 1;
      items.push([item[4]]);
      i++;
      continue;
    }
    const current = items[items.length - 1]!;
    if (isBlank(line)) {
      const next = lines.slice(i + 1).find((candidate) => !isBlank(candidate));
      if (next === undefined || indentOf(next) < contentIndent) break;
      current.push('');
      i++;
      continue;
    }
    if (indentOf(line) >= contentIndent) {
      current.push(line.slice(contentIndent));
      i++;
      continue;
    }
    // A lazy continuation line belongs to the item's paragraph, unless it starts a block of its own.
    if (startsBlock(line)) break;
    current.push(line.trim());
    i++;
  }
  const startNumber = ordered ? Number.parseInt(first[2]!, 10) : 1;
  blocks.push({ type: 'list', ordered, start: startNumber, items: items.map(parseLines) });
  return i;
}
