import type { AnyNode, Element } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { type Block, collapseWhitespace, dropControlCharacters, nonEmpty } from './blocks.js';

/** Never text a reader sees. */
const skipped = new Set([
  'head',
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'iframe',
  'object',
  'canvas',
  'select',
  'button',
]);

/** Elements that end the paragraph before them and start a new one. */
const blockElements = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'center',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'hr',
  'html',
  'main',
  'nav',
  'p',
  'section',
  'summary',
]);

const isElement = (node: AnyNode): node is Element =>
  node.type === 'tag' || node.type === 'script' || node.type === 'style';

/** The text a reader sees in `node`, whitespace as written: `<br>` as a space, images by their alt text. */
function visibleText(node: AnyNode): string {
  if (node.type === 'text') return node.data;
  if (!isElement(node) || skipped.has(node.name)) return '';
  if (node.name === 'br') return ' ';
  if (node.name === 'img') return node.attribs.alt ? ` ${node.attribs.alt} ` : '';
  const inner = node.children.map(visibleText).join('');
  // Adjacent cells, items or blocks are separate words even without whitespace between their tags.
  return blockElements.has(node.name) || ['td', 'th', 'li'].includes(node.name) ? ` ${inner} ` : inner;
}

/** `visibleText` with whitespace collapsed. */
const textOf = (node: AnyNode) => collapseWhitespace(visibleText(node));

/** Raw text, for `<pre>`: whitespace kept. */
function rawTextOf(node: AnyNode): string {
  if (node.type === 'text') return node.data;
  if (!isElement(node) || skipped.has(node.name)) return '';
  if (node.name === 'br') return '\n';
  return node.children.map(rawTextOf).join('');
}

const children = (node: Element, ...names: string[]) =>
  node.children.filter((c): c is Element => isElement(c) && names.includes(c.name));

/** A list as lines: `- item` or `1. item`, nested lists indented two spaces per level. */
function listLines(list: Element, depth: number): string[] {
  const ordered = list.name === 'ol';
  const start = Number.parseInt(list.attribs.start ?? '1', 10);
  const lines: string[] = [];
  children(list, 'li').forEach((item, i) => {
    const nested = children(item, 'ul', 'ol');
    const own = item.children.filter((c) => !nested.includes(c as Element));
    const text = collapseWhitespace(own.map(visibleText).join(''));
    const marker = ordered ? `${(Number.isNaN(start) ? 1 : start) + i}.` : '-';
    if (text) lines.push(`${'  '.repeat(depth)}${marker} ${text}`);
    for (const sub of nested) lines.push(...listLines(sub, depth + 1));
  });
  return lines;
}

/** A table as lines of cells joined by ` | `, header row first. */
function tableLines(table: Element): string[] {
  const rows: Element[] = [];
  const collect = (node: Element) => {
    for (const child of node.children) {
      if (!isElement(child)) continue;
      if (child.name === 'tr') rows.push(child);
      else if (['thead', 'tbody', 'tfoot'].includes(child.name)) collect(child);
    }
  };
  collect(table);
  return rows
    .map((row) =>
      children(row, 'td', 'th')
        .map(textOf)
        .join(' | ')
        .replace(/^(\s*\|\s*)+$/, ''),
    )
    .filter(Boolean);
}

/**
 * HTML → blocks: `h1`–`h6` headings, paragraphs (text between block elements), lists, tables
 * and `pre` code; scripts, styles and the `head` are never text. Entities are decoded by the
 * parser (htmlparser2, which accepts whatever browsers accept).
 */
export function extractHtml(html: string): Block[] {
  const document = parseDocument(dropControlCharacters(html), { decodeEntities: true });
  const blocks: Block[] = [];
  let inline: AnyNode[] = [];
  const flush = () => {
    if (inline.length === 0) return;
    const text = collapseWhitespace(inline.map(visibleText).join(''));
    inline = [];
    blocks.push({ kind: 'paragraph', text });
  };
  const visit = (node: AnyNode) => {
    if (!isElement(node)) {
      if (node.type === 'text') inline.push(node);
      else if (node.type === 'root' || node.type === 'cdata') node.children.forEach(visit);
      return;
    }
    if (skipped.has(node.name)) return;
    const heading = /^h([1-6])$/.exec(node.name);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: Number(heading[1]), text: textOf(node) });
    } else if (node.name === 'ul' || node.name === 'ol') {
      flush();
      blocks.push({ kind: 'list', text: listLines(node, 0).join('\n') });
    } else if (node.name === 'table') {
      flush();
      blocks.push({ kind: 'table', text: tableLines(node).join('\n') });
    } else if (node.name === 'pre') {
      flush();
      blocks.push({ kind: 'code', text: rawTextOf(node).replace(/^\n+|\s+$/g, '') });
    } else if (node.name === 'br') {
      inline.push(node);
    } else if (blockElements.has(node.name)) {
      flush();
      node.children.forEach(visit);
      flush();
    } else {
      inline.push(node);
    }
  };
  document.children.forEach(visit);
  flush();
  return nonEmpty(blocks);
}
