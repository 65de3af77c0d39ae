import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { Markdown } from './markdown.js';

const labels = { copy: 'Copy', copied: 'Copied', copyFailed: 'Copy failed', code: 'Code' };
const render = (source: string) => renderToStaticMarkup(createElement(Markdown, { source, labels }));
const paragraph = (html: string) => `<div class="chat-md"><p>${html}</p></div>`;
const escaped = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const count = (html: string, tag: string) => html.split(`<${tag}`).length - 1;

describe('Markdown', () => {
  test('paragraphs, line breaks, bold, italic and inline code', () => {
    expect(render('Hello **bold** and *it* and `x < y`\nnext line\n\nSecond')).toBe(
      '<div class="chat-md"><p>Hello <strong>bold</strong> and <em>it</em> and <code>x &lt; y</code><br/>next line</p><p>Second</p></div>',
    );
  });

  test('snake_case words and lone asterisks stay text', () => {
    expect(render('use my_var_name, 2 * 3 * 4')).toBe('<div class="chat-md"><p>use my_var_name, 2 * 3 * 4</p></div>');
  });

  test('headings, lists, blockquotes and rules', () => {
    const html = render('# Title\n\n- one\n- **two**\n  - nested\n\n3. c\n4. d\n\n> quoted *text*\n\n---');
    expect(html).toContain('<h3 class="chat-md-heading">Title</h3>');
    expect(html).toContain('<ul><li>one</li><li><strong>two</strong><ul><li>nested</li></ul></li></ul>');
    expect(html).toContain('<ol start="3"><li>c</li><li>d</li></ol>');
    expect(html).toContain('<blockquote><p>quoted <em>text</em></p></blockquote>');
    expect(html).toContain('<hr/>');
  });

  test('a list can follow a paragraph line directly', () => {
    expect(render('Steps:\n1. first\n2. second')).toBe(
      '<div class="chat-md"><p>Steps:</p><ol><li>first</li><li>second</li></ol></div>',
    );
  });

  test('fenced code keeps its text verbatim with a language label and a Copy button', () => {
    const html = render('```ts\nconst a = <b>1</b>;\n**not bold**\n```\nafter');
    expect(html).toContain('<span class="chat-code-lang">ts</span>');
    expect(html).toContain('>Copy</button>');
    expect(html).toContain('<code data-lang="ts">const a = &lt;b&gt;1&lt;/b&gt;;\n**not bold**</code>');
    expect(html).toContain('<p>after</p>');
  });

  test('an unclosed fence mid-stream renders as a code block so far', () => {
    const html = render('Intro\n\n```py\nprint(1)\nfor');
    expect(html).toContain('<p>Intro</p>');
    expect(html).toContain('<code data-lang="py">print(1)\nfor</code>');
    expect(render('```\n')).toContain('<span class="chat-code-lang">Code</span>');
  });

  test('partial emphasis and links mid-stream render as plain text', () => {
    expect(render('This is **bol')).toBe(paragraph('This is **bol'));
    expect(render('see [the docs](https://exa')).toBe(paragraph('see [the docs](https://exa'));
  });

  test('links open safely in a new tab; bare URLs and autolinks too', () => {
    expect(render('[docs](https://example.com/a?b=1) and https://x.test/p. <mailto:a@x.test>')).toBe(
      paragraph(
        '<a href="https://example.com/a?b=1" rel="noopener noreferrer" target="_blank">docs</a> and ' +
          '<a href="https://x.test/p" rel="noopener noreferrer" target="_blank">https://x.test/p</a>. ' +
          '<a href="mailto:a@x.test" rel="noopener noreferrer" target="_blank">mailto:a@x.test</a>',
      ),
    );
  });

  test('reference definitions, tables and strikethrough stay text, as before', () => {
    expect(render('See [1].\n\n[1]: https://x.test/a')).toBe(
      '<div class="chat-md"><p>See [1].</p><p>[1]: ' +
        '<a href="https://x.test/a" rel="noopener noreferrer" target="_blank">https://x.test/a</a></p></div>',
    );
    expect(render('| a | b |\n| - | - |\n~~gone~~')).toBe(paragraph('| a | b |<br/>| - | - |<br/>~~gone~~'));
  });

  test('an image inside a link is its alt text, never a second anchor inside the first', () => {
    expect(render('[![logo](https://x.test/logo.png)](https://x.test/)')).toBe(
      paragraph(
        '<a href="https://x.test/" rel="noopener noreferrer" target="_blank"><span class="chat-md-image">logo</span></a>',
      ),
    );
  });
});

describe('citation chips', () => {
  const chips = {
    names: new Map([
      [1, 'Source 1: Handbook'],
      [2, 'Source 2: FAQ'],
    ]),
    onCite: () => undefined,
  };
  const cited = (source: string) => renderToStaticMarkup(createElement(Markdown, { source, labels, chips }));
  const chip = (n: number, title: string) =>
    `<button type="button" class="chat-cite" aria-label="Source ${n}: ${title}" title="Source ${n}: ${title}">${n}</button>`;

  test('a [n] the answer cites is a chip named for its source', () => {
    expect(cited('Reset it weekly [1][2].')).toBe(
      paragraph(`Reset it weekly ${chip(1, 'Handbook')}${chip(2, 'FAQ')}.`),
    );
  });

  test('a [n] the answer does not cite stays text', () => {
    expect(cited('See [3] and [1].')).toBe(paragraph(`See [3] and ${chip(1, 'Handbook')}.`));
    expect(render('See [1].')).toBe(paragraph('See [1].'));
  });

  test('inside code spans, code blocks, escapes and links a [n] stays text', () => {
    expect(cited('Use `arr[1]` or \\[1\\]')).toBe(paragraph('Use <code>arr[1]</code> or [1]'));
    expect(cited('```\nx[1]\n```')).not.toContain('chat-cite');
    expect(cited('[see [1]](https://x.test/) [1](https://x.test/a)')).toBe(
      paragraph(
        '<a href="https://x.test/" rel="noopener noreferrer" target="_blank">see [1]</a> ' +
          '<a href="https://x.test/a" rel="noopener noreferrer" target="_blank">1</a>',
      ),
    );
  });

  test('a retrieval-only answer: the marker before each quoted source is a chip', () => {
    const html = cited('[1] **Handbook › Passwords** (page 2)\n> Reset weekly.');
    expect(html).toContain(`<p>${chip(1, 'Handbook')} <strong>Handbook › Passwords</strong> (page 2)</p>`);
  });

  test('a marker still streaming in stays text until it closes', () => {
    expect(cited('Reset it [1')).toBe(paragraph('Reset it [1'));
  });
});

describe('Markdown is safe against hostile answers', () => {
  test('raw HTML is shown as text, never as markup', () => {
    const html = render('<script>alert(1)</script>\n<img src=x onerror="alert(2)">');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
  });

  test('HTML blocks and inline tags stay text, Markdown around them still renders', () => {
    const html = render('<div onclick="x()">\n**bold**\n</div>\n\nsee <a href="javascript:alert(1)">me</a>');
    expect(html).not.toMatch(/<(div|a) [^>]*(onclick|javascript)/);
    expect(html).toContain('&lt;div onclick=&quot;x()&quot;&gt;<br/><strong>bold</strong>');
    expect(html).toContain('see &lt;a href=&quot;javascript:alert(1)&quot;&gt;me&lt;/a&gt;');
  });

  test.each([
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '[click](java\tscript:alert(1))',
    '[click]( javascript:alert(1))',
    '[click](<javascript:alert(1)>)',
    '[click](&#106;avascript:alert(1))',
    '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[click](vbscript:msgbox(1))',
    '[click](/relative/path)',
    '[click](//evil.example/x)',
  ])('%s renders as plain text', (source) => {
    const html = render(source);
    expect(html).not.toContain('<a');
    expect(html).not.toMatch(/href=/);
    expect(html).toContain('click');
  });

  test('javascript: as an autolink or bare text is not linked', () => {
    expect(render('<javascript:alert(1)>')).toBe(paragraph('&lt;javascript:alert(1)&gt;'));
    expect(render('javascript:alert(document.cookie)')).not.toContain('<a');
    expect(render('javascript://%0aalert(1)')).not.toContain('<a');
  });

  test('remote images are never loaded: alt text, linked only when the URL is safe', () => {
    expect(render('![a chart](https://evil.test/track.png)')).toBe(
      paragraph(
        '<a href="https://evil.test/track.png" rel="noopener noreferrer" target="_blank" class="chat-md-image">a chart</a>',
      ),
    );
    const unsafe = render('![x](javascript:alert(1)) ![y](data:image/png;base64,AAAA)');
    expect(unsafe).not.toContain('<img');
    expect(unsafe).not.toContain('href');
    expect(unsafe).toContain('x');
  });

  test('a code block language label cannot inject attributes', () => {
    const html = render('```"><img/src=x/onerror=alert(1)>\ncode\n```');
    expect(html).not.toContain('<img');
  });
});

// The inputs issue 8 found freezing the tab (1.7 s for the first on the old parser). These check
// the output, not the time: bench/markdown.ts measures how the time grows.
describe('Markdown renders adversarial input as text, whatever its size', () => {
  test.each([
    ['*a ', '*a '.repeat(8000).trimEnd()],
    ['[', '['.repeat(20000)],
    ['x`', `x${'`'.repeat(20000)}`],
    ['<', '<'.repeat(20000)],
    ['_a', '_a'.repeat(10000)],
    ['[a](b', '[a](b'.repeat(4000)],
    ['[]((', '[](('.repeat(5000)],
    ['[[…]]', `${'['.repeat(10000)}${']'.repeat(10000)}`],
  ])('%s', (_, source) => {
    expect(render(source)).toBe(paragraph(escaped(source)));
  });

  test('a long chain of links renders every link', () => {
    const html = render('[a](https://x.test/b) '.repeat(2000));
    expect(count(html, 'a href="https://x.test/b"')).toBe(2000);
  });

  test('deep nesting renders at most 32 levels and keeps the text', () => {
    const emphasis = render(`${'*'.repeat(10000)}a${'*'.repeat(10000)}`);
    expect(count(emphasis, 'strong>')).toBeLessThanOrEqual(32);
    expect(emphasis).toContain('>a<');
    const quotes = render(`${'> '.repeat(10000)}a`);
    expect(count(quotes, 'blockquote>')).toBeLessThanOrEqual(32);
    const lists = render(Array.from({ length: 45 }, (_, depth) => `${'  '.repeat(depth)}- item ${depth}`).join('\n'));
    expect(count(lists, 'ul>')).toBeLessThanOrEqual(32);
    expect(lists).toContain('item 44');
  });
});
