import MarkdownIt, { type StateCore, type StateInline, type Token } from 'markdown-it';
import { safeHref } from './safe-url.js';

/**
 * A bare URL that comes right after `](` is a link still streaming in (`[docs](https://exa`),
 * not a link of its own: it stays text, as the rest of that unfinished link does.
 */
function keepUnfinishedLinksAsText(state: StateCore): void {
  for (const block of state.tokens) {
    const children = block.children;
    if (block.type !== 'inline' || !children) continue;
    for (let i = 1; i + 2 < children.length; i++) {
      const before = children[i - 1]!;
      const open = children[i]!;
      if (open.type !== 'link_open' || open.markup !== 'linkify') continue;
      if (before.type !== 'text' || !before.content.endsWith('](')) continue;
      // A linkify link is always link_open, text, link_close.
      before.content += children[i + 1]!.content;
      children.splice(i, 3);
      const after = children[i];
      if (after?.type === 'text') {
        before.content += after.content;
        children.splice(i, 1);
      }
      i--;
    }
  }
}

/** `[1]` … `[999]`, as answers number their citations (bff/src/agent/answer-with-sources.ts). */
const citationMarker = /^\[(\d{1,3})\]/;

/**
 * A `[n]` marker becomes a `citation` token (`meta.n`, `content` the marker as written), which
 * the renderer shows as a chip when the answer really cites n. A rule rather than a text search
 * so that code spans, escaped brackets (`\[1\]`) and links (`[1](url)`, tried first) stay as
 * they are. Without reference definitions, `[1][2]` is two markers, not a reference link.
 * Silent mode (markdown-it skipping tokens while it measures a link's label) matches nothing:
 * there a `[` must stay one bracket, or `[see [1]](url)` would read as a link nested in a link.
 */
function citationMarkers(state: StateInline, silent: boolean): boolean {
  if (silent || state.src.charCodeAt(state.pos) !== 0x5b /* [ */) return false;
  const match = citationMarker.exec(state.src.slice(state.pos, state.pos + 5));
  if (!match) return false;
  const token = state.push('citation', '', 0);
  token.content = match[0];
  token.meta = { n: Number(match[1]) };
  state.pos += match[0].length;
  return true;
}

/**
 * The one configured markdown-it (CommonMark, built to parse in linear time: its pathological
 * inputs are part of its test suite; see bench/README.md, issue 8, for our measurements).
 *
 * - No raw HTML (`html: false`): `<script>` is text.
 * - Links, autolinks, bare `http(s)://` URLs and images exist only when `safeHref` accepts
 *   their URL (absolute http, https or mailto); any other `[label](url)` stays text.
 * - Bare URLs need their scheme (the inline linkify rule); the whole-text linkify pass, which
 *   also finds `www.` and e-mail addresses, is off: it re-scans every text with linkify-it.
 * - Off, so that a top-level block never depends on text after it (see `incremental-parse.ts`):
 *   reference definitions (`[x]: url` stays text). Off because answers never had them and we
 *   keep the rendered subset as it was: tables and `~~strikethrough~~`.
 * - URLs are shown as written: no punycode or percent-decoding of the link text.
 * - `[n]` citation markers are tokens of their own (`citationMarkers`).
 */
export const markdownParser = (() => {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
  md.disable(['table', 'strikethrough', 'reference']);
  md.core.ruler.disable('linkify');
  md.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });
  md.validateLink = (url) => safeHref(url) !== null;
  md.normalizeLink = (url) => url;
  md.normalizeLinkText = (text) => text;
  md.core.ruler.push('keep_unfinished_links_as_text', keepUnfinishedLinksAsText);
  md.inline.ruler.after('link', 'citation', citationMarkers);
  return md;
})();

export type { Token };
