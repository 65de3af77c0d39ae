import { Fragment, memo, type ReactNode, useMemo } from 'react';
import { CodeBlock } from './code-block.js';
import { type Block, parseBlocks } from './parse-blocks.js';
import { type Inline, parseInline } from './parse-inline.js';

export interface MarkdownLabels {
  copy: string;
  copied: string;
  copyFailed: string;
  /** Shown on a code block that names no language. */
  code: string;
}

const linkProps = { rel: 'noopener noreferrer', target: '_blank' } as const;

/** Elements are keyed by position: a message re-parses as it grows, and earlier nodes keep their place. */
function renderInlines(nodes: Inline[]): ReactNode[] {
  return nodes.map(renderInline);
}

function renderInline(node: Inline, key: number): ReactNode {
  switch (node.type) {
    case 'text':
      return <Fragment key={key}>{node.text}</Fragment>;
    case 'break':
      return <br key={key} />;
    case 'strong':
      return <strong key={key}>{renderInlines(node.children)}</strong>;
    case 'em':
      return <em key={key}>{renderInlines(node.children)}</em>;
    case 'code':
      return <code key={key}>{node.text}</code>;
    case 'link':
      return (
        <a key={key} href={node.href} {...linkProps}>
          {renderInlines(node.children)}
        </a>
      );
    case 'image':
      return <ImageAsText key={key} alt={node.alt} href={node.href} />;
  }
}

function ImageAsText({ alt, href }: { alt: string; href: string | null }) {
  const text = alt || href || '';
  return href ? (
    <a href={href} {...linkProps} className="chat-md-image">
      {text}
    </a>
  ) : (
    <span className="chat-md-image">{text}</span>
  );
}

function renderBlocks(blocks: Block[], labels: MarkdownLabels): ReactNode[] {
  return blocks.map((block, key) => renderBlock(block, key, labels));
}

function renderBlock(block: Block, key: number, labels: MarkdownLabels): ReactNode {
  switch (block.type) {
    case 'paragraph':
      return <p key={key}>{renderInlines(parseInline(block.text))}</p>;
    case 'heading': {
      // Answers sit under the page's own headings, so their levels start at h3.
      const Tag = `h${Math.min(block.level + 2, 6)}` as 'h3';
      return (
        <Tag key={key} className="chat-md-heading">
          {renderInlines(parseInline(block.text))}
        </Tag>
      );
    }
    case 'code':
      return <CodeBlock key={key} lang={block.lang} code={block.code} labels={labels} />;
    case 'quote':
      return <blockquote key={key}>{renderBlocks(block.children, labels)}</blockquote>;
    case 'list': {
      const items = block.items.map((item, itemKey) => renderListItem(item, itemKey, labels));
      return block.ordered ? (
        <ol key={key} start={block.start === 1 ? undefined : block.start}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case 'rule':
      return <hr key={key} />;
  }
}

/** An item's first paragraph sits directly in the `<li>`, as in a tight list. */
function renderListItem(blocks: Block[], key: number, labels: MarkdownLabels): ReactNode {
  const [first, ...rest] = blocks;
  if (first?.type !== 'paragraph') return <li key={key}>{renderBlocks(blocks, labels)}</li>;
  return (
    <li key={key}>
      {renderInlines(parseInline(first.text))}
      {renderBlocks(rest, labels)}
    </li>
  );
}

/**
 * Renders the Markdown subset answers use as React elements: never raw HTML (React escapes
 * every string), links only to http(s)/mailto, images never loaded. Partial input mid-stream
 * renders as far as it goes (an unclosed fence is a code block so far).
 */
export const Markdown = memo(function Markdown({ source, labels }: { source: string; labels: MarkdownLabels }) {
  const blocks = useMemo(() => parseBlocks(source), [source]);
  return <div className="chat-md">{renderBlocks(blocks, labels)}</div>;
});
