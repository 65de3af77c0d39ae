import { safeHref } from './safe-url.js';

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'break' }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'code'; text: string }
  /** `href` has passed `safeHref`; an unsafe link never becomes a `link`. */
  | { type: 'link'; href: string; children: Inline[] }
  /** Images are never loaded: the renderer shows the alt text, linked when the URL is safe. */
  | { type: 'image'; alt: string; href: string | null };

const escapable = /[!-/:-@[-`{-~]/;
const bareUrl = /^https?:\/\/[^\s<>"]+/;
const autolink = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/;
const wordChar = /[\p{L}\p{N}]/u;

interface LinkMatch {
  label: string;
  destination: string;
  end: number;
}

/** `[label](destination "title")` starting at `open` (the `[`), or null when it is not one (yet). */
function matchLink(src: string, open: number): LinkMatch | null {
  let depth = 0;
  let close = -1;
  for (let i = open; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\\') i++;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0 || src[close + 1] !== '(') return null;
  depth = 0;
  for (let i = close + 1; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\\') i++;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) {
      const inside = src.slice(close + 2, i).trim();
      const destination = inside.startsWith('<')
        ? inside.slice(1, inside.indexOf('>'))
        : (inside.split(/\s+/)[0] ?? '');
      return { label: src.slice(open + 1, close), destination, end: i + 1 };
    }
  }
  return null;
}

/** Index of the delimiter closing emphasis opened at `from`, honouring the flanking rules loosely. */
function findClosing(src: string, delimiter: string, from: number): number {
  for (let j = src.indexOf(delimiter, from); j >= 0; j = src.indexOf(delimiter, j + 1)) {
    if (j === from || /\s/.test(src[j - 1]!)) continue;
    if (delimiter.length === 1 && src[j + 1] === delimiter) {
      j++;
      continue;
    }
    if (delimiter[0] === '_' && wordChar.test(src[j + delimiter.length] ?? '')) continue;
    return j;
  }
  return -1;
}

function trimUrl(url: string): string {
  let end = url.length;
  while (end > 0 && /[.,;:!?'"*_]/.test(url[end - 1]!)) end--;
  let trimmed = url.slice(0, end);
  // A closing parenthesis belongs to the URL only when it has an opening one: "(see https://x.test/a)".
  while (trimmed.endsWith(')') && (trimmed.match(/\(/g)?.length ?? 0) < (trimmed.match(/\)/g)?.length ?? 0)) {
    trimmed = trimmed.slice(0, -1);
  }
  return trimmed;
}

export function parseInline(src: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ type: 'text', text });
    text = '';
  };
  const push = (node: Inline) => {
    flush();
    out.push(node);
  };

  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;

    if (ch === '\\' && escapable.test(src[i + 1] ?? '')) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    if (ch === '\n') {
      push({ type: 'break' });
      i++;
      continue;
    }
    if (ch === '`') {
      const run = /^`+/.exec(src.slice(i, i + 64))![0];
      const close = src.indexOf(run, i + run.length);
      if (close >= 0 && src[close + run.length] !== '`') {
        let code = src.slice(i + run.length, close).replace(/\n/g, ' ');
        if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ')) code = code.slice(1, -1);
        push({ type: 'code', text: code });
        i = close + run.length;
      } else {
        text += run;
        i += run.length;
      }
      continue;
    }
    if (ch === '!' && src[i + 1] === '[') {
      const link = matchLink(src, i + 1);
      if (link) {
        push({ type: 'image', alt: link.label, href: safeHref(link.destination) });
        i = link.end;
        continue;
      }
    }
    if (ch === '[') {
      const link = matchLink(src, i);
      if (link) {
        const href = safeHref(link.destination);
        const children = parseInline(link.label);
        if (href) push({ type: 'link', href, children });
        else {
          flush();
          out.push(...children);
        }
        i = link.end;
        continue;
      }
    }
    if (ch === '<') {
      const match = autolink.exec(src.slice(i, i + 2048));
      const href = match ? safeHref(match[1]!) : null;
      if (match && href) {
        push({ type: 'link', href, children: [{ type: 'text', text: match[1]! }] });
        i += match[0].length;
        continue;
      }
    }
    // Not right after "](": that is a link still streaming in, not a bare URL.
    if (ch === 'h' && !wordChar.test(src[i - 1] ?? '') && src.slice(i - 2, i) !== '](') {
      const match = bareUrl.exec(src.slice(i, i + 2048));
      const url = match ? trimUrl(match[0]) : '';
      const href = url ? safeHref(url) : null;
      if (href) {
        push({ type: 'link', href, children: [{ type: 'text', text: url }] });
        i += url.length;
        continue;
      }
    }
    if (ch === '*' || ch === '_') {
      const double = src[i + 1] === ch;
      const delimiter = double ? ch + ch : ch;
      const opensWord = ch === '*' || !wordChar.test(src[i - 1] ?? '');
      const inner = i + delimiter.length;
      if (opensWord && src[inner] && !/\s/.test(src[inner]!)) {
        const close = findClosing(src, delimiter, inner);
        if (close > inner) {
          const children = parseInline(src.slice(inner, close));
          push(double ? { type: 'strong', children } : { type: 'em', children });
          i = close + delimiter.length;
          continue;
        }
      }
      text += delimiter;
      i += delimiter.length;
      continue;
    }
    text += ch;
    i++;
  }
  flush();
  return out;
}
