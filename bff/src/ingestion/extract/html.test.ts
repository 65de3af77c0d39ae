import { describe, expect, it } from 'vitest';
import { extractHtml } from './html.js';

describe('extractHtml', () => {
  it('turns headings, paragraphs, lists, tables and pre into blocks, and never scripts or styles', () => {
    const html = `<!doctype html><html><head><title>Help</title><style>p{color:red}</style></head>
      <body>
        <nav>Home &amp; help</nav>
        <h1>Account <small>help</small></h1>
        <p>Reset your&nbsp;password<br>from the sign-in page.</p>
        <script>alert('not text')</script>
        <ul><li>Open <a href="/settings">Settings</a><ol start="3"><li>Security</li></ol></li><li><img alt="gear icon" src="g.png"> Save</li></ul>
        <table><thead><tr><th>Plan</th><th>Price</th></tr></thead><tbody><tr><td>Team</td><td>$20</td></tr></tbody></table>
        <pre>line one
  line two</pre>
        <div>Loose text <span>in a div</span><div>nested block</div>after</div>
      </body></html>`;
    expect(extractHtml(html)).toEqual([
      { kind: 'paragraph', text: 'Home & help' },
      { kind: 'heading', level: 1, text: 'Account help' },
      { kind: 'paragraph', text: 'Reset your password from the sign-in page.' },
      { kind: 'list', text: '- Open Settings\n  3. Security\n- gear icon Save' },
      { kind: 'table', text: 'Plan | Price\nTeam | $20' },
      { kind: 'code', text: 'line one\n  line two' },
      { kind: 'paragraph', text: 'Loose text in a div' },
      { kind: 'paragraph', text: 'nested block' },
      { kind: 'paragraph', text: 'after' },
    ]);
  });

  it('has no blocks for a page without visible text', () => {
    expect(extractHtml('<html><head><title>t</title></head><body><script>x()</script> </body></html>')).toEqual([]);
  });
});
