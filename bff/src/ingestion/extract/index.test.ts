import { describe, expect, it } from 'vitest';
import { makeImageOnlyPdf } from '../../testing/document-fixtures.js';
import { extract } from './index.js';

const text = (s: string) => new TextEncoder().encode(s);

describe('extract', () => {
  it('extracts each text type through its own extractor', async () => {
    expect(await extract(text('# Title\n\nBody.'), 'text/markdown')).toEqual({
      blocks: [
        { kind: 'heading', level: 1, text: 'Title' },
        { kind: 'paragraph', text: 'Body.' },
      ],
      pageCount: null,
    });
    expect((await extract(text('<h2>Title</h2>'), 'text/html')).blocks).toEqual([
      { kind: 'heading', level: 2, text: 'Title' },
    ]);
    expect((await extract(text('# not a heading here'), 'text/plain')).blocks).toEqual([
      { kind: 'paragraph', text: '# not a heading here' },
    ]);
  });

  it('fails as document.no_text when nothing readable is left', async () => {
    await expect(extract(text('<html><body><script>x()</script></body></html>'), 'text/html')).rejects.toMatchObject({
      code: 'document.no_text',
      message: 'The file holds no text.',
    });
    await expect(extract(await makeImageOnlyPdf(), 'application/pdf', { maxPages: 10 })).rejects.toMatchObject({
      code: 'document.no_text',
      message: 'The PDF has no text layer (scanned pages or images only).',
    });
  });

  it('fails as document.unsupported_type when text was expected and the bytes are not text', async () => {
    await expect(extract(new Uint8Array([0, 1, 2, 3]), 'text/plain')).rejects.toMatchObject({
      code: 'document.unsupported_type',
    });
  });
});
