import { describe, expect, it } from 'vitest';
import { extractMarkdown } from './markdown.js';

describe('extractMarkdown', () => {
  it('keeps headings with their depth, paragraphs, lists, tables and code as blocks', () => {
    const markdown = [
      '# Billing',
      '',
      'Invoices are *sent* monthly,',
      'by [email](https://example.com).',
      '',
      '## Plans',
      '',
      '| Plan | Price |',
      '|------|------:|',
      '| Team | $20 |',
      '',
      '1. Open **Settings**',
      '2. Choose Billing',
      '   - then Plans',
      '- [x] done',
      '',
      '```sh',
      'atrium billing --list',
      '  --all',
      '```',
      '',
      '> Quoted advice.',
      '',
      '---',
      '',
      '<p>Raw <b>HTML</b> paragraph</p>',
    ].join('\n');
    expect(extractMarkdown(markdown)).toEqual([
      { kind: 'heading', level: 1, text: 'Billing' },
      { kind: 'paragraph', text: 'Invoices are sent monthly, by email.' },
      { kind: 'heading', level: 2, text: 'Plans' },
      { kind: 'table', text: 'Plan | Price\nTeam | $20' },
      { kind: 'list', text: '1. Open Settings\n2. Choose Billing\n  - then Plans' },
      { kind: 'list', text: '- [x] done' },
      { kind: 'code', text: 'atrium billing --list\n  --all' },
      { kind: 'paragraph', text: 'Quoted advice.' },
      { kind: 'paragraph', text: 'Raw HTML paragraph' },
    ]);
  });

  it('joins wrapped Chinese lines without a space', () => {
    expect(extractMarkdown('如何重置\n密码？')).toEqual([{ kind: 'paragraph', text: '如何重置密码？' }]);
  });
});
