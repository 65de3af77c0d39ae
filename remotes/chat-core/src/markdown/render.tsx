import { Fragment, type ReactNode } from 'react';
import { CodeBlock } from './code-block.js';
import type { MarkdownLabels } from './markdown.js';
import type { Token } from './parser.js';
import { safeHref } from './safe-url.js';

/** A token with what lies between it and its closing token; markdown-it's streams are flat. */
interface Node {
  token: Token;
  children: Node[];
}

/**
 * Deepest nesting rendered as elements. markdown-it caps containers at 100 levels, but not
 * emphasis: `'*'.repeat(n) + 'a' + '*'.repeat(n)` nests n/2 `<strong>`s. Below this depth the
 * text is kept and the wrappers are dropped, so rendering never recurses deeper than this.
 */
const maxDepth = 32;

/** One pass with a stack (no search for each closing token), so building the tree stays linear. */
function toTree(tokens: readonly Token[]): Node[] {
  const root: Node[] = [];
  const open: Node[][] = [root];
  // Openers past maxDepth are dropped; tokens nest properly, so the next closers are theirs.
  let dropped = 0;
  for (const token of tokens) {
    if (token.nesting === -1) {
      if (dropped > 0) dropped--;
      else if (open.length > 1) open.pop();
      continue;
    }
    if (token.nesting === 1 && open.length > maxDepth) {
      dropped++;
      continue;
    }
    const node: Node = { token, children: [] };
    open[open.length - 1]!.push(node);
    if (token.nesting === 1) open.push(node.children);
  }
  return root;
}

const linkProps = { rel: 'noopener noreferrer', target: '_blank' } as const;

/** Plain text of inline tokens (an image's alt text). */
function textOf(tokens: readonly Token[] | null): string {
  let text = '';
  for (const token of tokens ?? []) {
    if (token.type === 'softbreak' || token.type === 'hardbreak') text += ' ';
    else if (token.type === 'image') text += textOf(token.children);
    else if (token.nesting === 0) text += token.content;
  }
  return text;
}

/**
 * Inline elements. Every string goes through React, which escapes it; a link is an `<a>` only
 * when `safeHref` accepts its URL and it is not inside another link (no nested anchors).
 * Elements are keyed by position: the open block re-renders as it grows and keeps earlier nodes.
 */
function renderInlines(nodes: Node[], inLink: boolean): ReactNode[] {
  return nodes.map((node, key) => renderInline(node, key, inLink));
}

function renderInline({ token, children }: Node, key: number, inLink: boolean): ReactNode {
  switch (token.type) {
    case 'softbreak':
    case 'hardbreak':
      return <br key={key} />;
    case 'em_open':
      return <em key={key}>{renderInlines(children, inLink)}</em>;
    case 'strong_open':
      return <strong key={key}>{renderInlines(children, inLink)}</strong>;
    case 'code_inline':
      return <code key={key}>{token.content}</code>;
    case 'link_open': {
      const href = inLink ? null : safeHref(String(token.attrGet('href') ?? ''));
      if (!href) return <Fragment key={key}>{renderInlines(children, inLink)}</Fragment>;
      return (
        <a key={key} href={href} {...linkProps}>
          {renderInlines(children, true)}
        </a>
      );
    }
    case 'image':
      return (
        <ImageAsText
          key={key}
          alt={textOf(token.children)}
          href={inLink ? null : safeHref(String(token.attrGet('src') ?? ''))}
        />
      );
    default:
      // text, and anything else inline: its content as text, never as markup.
      return token.content ? <Fragment key={key}>{token.content}</Fragment> : null;
  }
}

/** Images are never loaded: the alt text (or the URL), linked when the URL is safe. */
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

function renderBlocks(nodes: Node[], labels: MarkdownLabels): ReactNode[] {
  return nodes.map((node, key) => renderBlock(node, key, labels));
}

function renderBlock({ token, children }: Node, key: number, labels: MarkdownLabels): ReactNode {
  switch (token.type) {
    case 'inline':
      return <Fragment key={key}>{renderInlines(toTree(token.children ?? []), false)}</Fragment>;
    case 'paragraph_open':
      // A tight list's paragraphs are hidden: their text sits directly in the `<li>`.
      return token.hidden ? (
        <Fragment key={key}>{renderBlocks(children, labels)}</Fragment>
      ) : (
        <p key={key}>{renderBlocks(children, labels)}</p>
      );
    case 'heading_open': {
      // Answers sit under the page's own headings, so their levels start at h3.
      const Tag = `h${Math.min(Number(token.tag.slice(1)) + 2, 6)}` as 'h3';
      return (
        <Tag key={key} className="chat-md-heading">
          {renderBlocks(children, labels)}
        </Tag>
      );
    }
    case 'blockquote_open':
      return <blockquote key={key}>{renderBlocks(children, labels)}</blockquote>;
    case 'bullet_list_open':
      return <ul key={key}>{renderBlocks(children, labels)}</ul>;
    case 'ordered_list_open': {
      const start = Number(token.attrGet('start') ?? 1);
      return (
        <ol key={key} start={start === 1 ? undefined : start}>
          {renderBlocks(children, labels)}
        </ol>
      );
    }
    case 'list_item_open':
      return <li key={key}>{renderBlocks(children, labels)}</li>;
    case 'fence':
    case 'code_block': {
      const lang = token.type === 'fence' ? (token.info.trim().split(/\s/)[0] ?? '') : '';
      const code = token.content.endsWith('\n') ? token.content.slice(0, -1) : token.content;
      return <CodeBlock key={key} lang={lang} code={code} labels={labels} />;
    }
    case 'hr':
      return <hr key={key} />;
    default:
      return null;
  }
}

/**
 * React elements for one top-level block's tokens (`incremental-parse.ts`): never raw HTML
 * (markdown-it has it off and React escapes every string), links only to http(s)/mailto
 * (`safeHref`), images never loaded, code in a `CodeBlock` with its Copy button.
 */
export function renderMarkdownBlock(tokens: readonly Token[], labels: MarkdownLabels): ReactNode {
  return renderBlocks(toTree(tokens), labels);
}
