import { describe, expect, it } from 'vitest';
import { extractPlainText } from './text.js';

describe('extractPlainText', () => {
  it('makes a paragraph of each run of lines between blank lines, keeping line breaks inside', () => {
    expect(extractPlainText('Opening hours\r\nMon-Fri 9-17\r\n\r\n   \r\nClosed on holidays.  \n\n\n')).toEqual([
      { kind: 'paragraph', text: 'Opening hours\nMon-Fri 9-17' },
      { kind: 'paragraph', text: 'Closed on holidays.' },
    ]);
  });

  it('drops control characters', () => {
    expect(extractPlainText('bell\u0007 and escape\u001b[0m')).toEqual([
      { kind: 'paragraph', text: 'bell and escape[0m' },
    ]);
  });
});
