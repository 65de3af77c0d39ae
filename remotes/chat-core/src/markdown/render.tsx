import { Fragment, type ReactNode } from 'react';
import { CodeBlock } from './code-block.js';
import type { CitationChips, MarkdownLabels } from './markdown.js';
import type { Token } from './parser.js';
import { safeHref } from './safe-url.js';

/**
 * Deepest nesting rendered as elements. markdown-it caps containers at 100 levels, but not
 * emphasis: `'*'.repeat(n) + 'a' + '*'.repeat(n)` nests n/2 `<strong>`s. Deeper wrappers are
 * dropped and their text kept, so rendering never recurses deeper than this.
 */
const maxDepth = 32;

/**
 * markdown-it's token streams are flat (`em_open`, text, `em_close`). Rendering walks them by
 * index, with each opener's closing index found in one pass with a stack: no tree of wrapper
 * objects, which matters for garbage collection on a 40k answer of `**a**a**a…`.
 */
interface Stream {
  tokens: readonly Token[];
  closeOf: Int32Array;
}

function stream(tokens: readonly Token[]): Stream {
  const closeOf = new Int32Array(tokens.length).fill(tokens.length);
  const open: number[] = [];
  tokens.forEach((token, index) => {
    if (token.nesting === 1) open.push(index);
    else if (token.nesting === -1 && open.length > 0) closeOf[open.pop()!] = index;
  });
  return { tokens, closeOf };
}

/** How a walk renders: an opener gets its content lazily (a link must know it is one first). */
interface Renderers {
  opener(token: Token, key: number, content: () => ReactNode[]): ReactNode;
  leaf(token: Token, key: number): ReactNode;
}

/**
 * Renders `tokens[start, end)`, keyed by position. Past `maxDepth`, openers and closers are
 * skipped and their content renders in place.
 */
function walk(from: Stream, start: number, end: number, depth: number, render: Renderers): ReactNode[] {
  const out: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    const token = from.tokens[i]!;
    if (token.nesting === -1 || (token.nesting === 1 && depth >= maxDepth)) continue;
    if (token.nesting === 0) {
      out.push(render.leaf(token, out.length));
      continue;
    }
    const open = i;
    const close = Math.min(from.closeOf[open]!, end);
    out.push(render.opener(token, out.length, () => walk(from, open + 1, close, depth + 1, render)));
    i = close;
  }
  return out;
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

/** A `[n]` the answer cites: a button labelled n, named for its source ("Source 1: Title"). */
function CitationChip({ n, name, onCite }: { n: number; name: string; onCite(n: number): void }) {
  return (
    <button type="button" className="chat-cite" aria-label={name} title={name} onClick={() => onCite(n)}>
      {n}
    </button>
  );
}

/**
 * Inline elements. Every string goes through React, which escapes it; a link is an `<a>` only
 * when `safeHref` accepts its URL and it is not inside another link (no nested anchors). A
 * `[n]` marker is a chip only when `chips` names n and it is not inside a link; else its text.
 */
function renderInlines(tokens: readonly Token[], chips: CitationChips | undefined): ReactNode[] {
  // CommonMark never nests links, but an image (shown as a link) can sit inside one.
  let inLink = false;
  return walk(stream(tokens), 0, tokens.length, 0, {
    opener(token, key, content) {
      switch (token.type) {
        case 'em_open':
          return <em key={key}>{content()}</em>;
        case 'strong_open':
          return <strong key={key}>{content()}</strong>;
        case 'link_open': {
          const href = inLink ? null : safeHref(String(token.attrGet('href') ?? ''));
          if (!href) return <Fragment key={key}>{content()}</Fragment>;
          inLink = true;
          const children = content();
          inLink = false;
          return (
            <a key={key} href={href} {...linkProps}>
              {children}
            </a>
          );
        }
        default:
          return <Fragment key={key}>{content()}</Fragment>;
      }
    },
    leaf(token, key) {
      switch (token.type) {
        case 'softbreak':
        case 'hardbreak':
          return <br key={key} />;
        case 'code_inline':
          return <code key={key}>{token.content}</code>;
        case 'citation': {
          const n = (token.meta as { n: number }).n;
          const name = inLink ? undefined : chips?.names.get(n);
          return name && chips ? <CitationChip key={key} n={n} name={name} onCite={chips.onCite} /> : token.content;
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
          // Text, and anything else inline: its content as a string, which React escapes.
          return token.content;
      }
    },
  });
}

/**
 * React elements for one top-level block's tokens (`incremental-parse.ts`): never raw HTML
 * (markdown-it has it off and React escapes every string), links only to http(s)/mailto
 * (`safeHref`), images never loaded, code in a `CodeBlock` with its Copy button, `[n]` markers
 * as chips when `chips` names n.
 */
export function renderMarkdownBlock(
  tokens: readonly Token[],
  labels: MarkdownLabels,
  chips?: CitationChips,
): ReactNode[] {
  return walk(stream(tokens), 0, tokens.length, 0, {
    opener(token, key, content) {
      switch (token.type) {
        case 'paragraph_open':
          // A tight list's paragraphs are hidden: their text sits directly in the `<li>`.
          return token.hidden ? <Fragment key={key}>{content()}</Fragment> : <p key={key}>{content()}</p>;
        case 'heading_open': {
          // Answers sit under the page's own headings, so their levels start at h3.
          const Tag = `h${Math.min(Number(token.tag.slice(1)) + 2, 6)}` as 'h3';
          return (
            <Tag key={key} className="chat-md-heading">
              {content()}
            </Tag>
          );
        }
        case 'blockquote_open':
          return <blockquote key={key}>{content()}</blockquote>;
        case 'bullet_list_open':
          return <ul key={key}>{content()}</ul>;
        case 'ordered_list_open': {
          const start = Number(token.attrGet('start') ?? 1);
          return (
            <ol key={key} start={start === 1 ? undefined : start}>
              {content()}
            </ol>
          );
        }
        case 'list_item_open':
          return <li key={key}>{content()}</li>;
        default:
          return <Fragment key={key}>{content()}</Fragment>;
      }
    },
    leaf(token, key) {
      switch (token.type) {
        case 'inline':
          return <Fragment key={key}>{renderInlines(token.children ?? [], chips)}</Fragment>;
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
    },
  });
}
