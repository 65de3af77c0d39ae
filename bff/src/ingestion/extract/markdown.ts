import type { List, ListItem, Nodes, Table } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { type Block, collapseWhitespace, dropControlCharacters, nonEmpty } from './blocks.js';
import { extractHtml } from './html.js';

/** The words a reader sees in inline content: link text, image alt text, code spans; hard breaks as spaces. */
function inlineText(node: Nodes): string {
  switch (node.type) {
    case 'text':
    case 'inlineCode':
      return node.value;
    case 'image':
      return node.alt ? ` ${node.alt} ` : '';
    case 'break':
      return ' ';
    case 'html':
      return extractHtml(node.value)
        .map((b) => b.text)
        .join(' ');
    default:
      return 'children' in node ? node.children.map(inlineText).join('') : '';
  }
}

const inline = (node: Nodes) => collapseWhitespace(inlineText(node));

/** A list as lines: `- item`, `1. item`, `- [x] task`; nested lists indented two spaces per level. */
function listLines(list: List, depth: number): string[] {
  const lines: string[] = [];
  list.children.forEach((item: ListItem, i) => {
    const marker = list.ordered ? `${(list.start ?? 1) + i}.` : '-';
    const task = item.checked === true ? '[x] ' : item.checked === false ? '[ ] ' : '';
    const own = item.children.filter((c) => c.type !== 'list');
    const text = collapseWhitespace(own.map(inline).join(' '));
    if (text) lines.push(`${'  '.repeat(depth)}${marker} ${task}${text}`);
    for (const sub of item.children) if (sub.type === 'list') lines.push(...listLines(sub, depth + 1));
  });
  return lines;
}

const tableLines = (table: Table) => table.children.map((row) => row.children.map(inline).join(' | '));

/**
 * Markdown (CommonMark + GFM tables and task lists, parsed by micromark in linear time) →
 * blocks: headings with their depth, paragraphs, lists, tables, fenced or indented code;
 * block quotes and footnotes contribute their paragraphs; raw HTML goes through the HTML
 * extractor.
 */
export function extractMarkdown(markdown: string): Block[] {
  const tree = fromMarkdown(dropControlCharacters(markdown), {
    extensions: [gfm()],
    mdastExtensions: [gfmFromMarkdown()],
  });
  const blocks: Block[] = [];
  const visit = (node: Nodes) => {
    switch (node.type) {
      case 'heading':
        blocks.push({ kind: 'heading', level: node.depth, text: inline(node) });
        return;
      case 'paragraph':
        blocks.push({ kind: 'paragraph', text: inline(node) });
        return;
      case 'list':
        blocks.push({ kind: 'list', text: listLines(node, 0).join('\n') });
        return;
      case 'table':
        blocks.push({ kind: 'table', text: tableLines(node).join('\n') });
        return;
      case 'code':
        blocks.push({ kind: 'code', text: node.value });
        return;
      case 'html':
        blocks.push(...extractHtml(node.value));
        return;
      case 'root':
      case 'blockquote':
      case 'footnoteDefinition':
        node.children.forEach(visit);
        return;
      default:
        // Thematic breaks, link definitions: no text.
        return;
    }
  };
  visit(tree);
  return nonEmpty(blocks);
}
