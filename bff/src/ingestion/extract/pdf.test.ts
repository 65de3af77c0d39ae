import { describe, expect, it } from 'vitest';
import { makeEmptyPagesPdf, makeEncryptedPdf, makeImageOnlyPdf, makePdf } from '../../testing/document-fixtures.js';
import { extractPdf } from './pdf.js';

describe('extractPdf', () => {
  it('reads the text layer page by page: larger type is a heading, a blank line starts a paragraph, bullets a list', async () => {
    const pdf = await makePdf([
      {
        heading: 'Getting started',
        lines: ['Install the desktop app from the', 'download page.', '', '• Open Settings', '• Choose Account'],
      },
      { heading: 'Billing', lines: ['Invoices are sent monthly.'] },
    ]);
    expect(await extractPdf(pdf, { maxPages: 10 })).toEqual({
      pageCount: 2,
      blocks: [
        { kind: 'heading', level: 1, text: 'Getting started', page: 1 },
        { kind: 'paragraph', text: 'Install the desktop app from the download page.', page: 1 },
        { kind: 'list', text: '• Open Settings\n• Choose Account', page: 1 },
        { kind: 'heading', level: 1, text: 'Billing', page: 2 },
        { kind: 'paragraph', text: 'Invoices are sent monthly.', page: 2 },
      ],
    });
  });

  it('refuses a PDF with more pages than the limit before reading any page', async () => {
    const pdf = await makeEmptyPagesPdf(3_000);
    await expect(extractPdf(pdf, { maxPages: 2_000 })).rejects.toMatchObject({
      code: 'document.too_many_pages',
      message: 'The PDF has 3000 pages; at most 2000 are read.',
    });
  });

  it('says a password-protected PDF is encrypted and a damaged one unreadable', async () => {
    await expect(extractPdf(makeEncryptedPdf(), { maxPages: 10 })).rejects.toMatchObject({
      code: 'document.encrypted',
    });
    await expect(
      extractPdf(new TextEncoder().encode('%PDF-1.7\nnot really a pdf'), { maxPages: 10 }),
    ).rejects.toMatchObject({ code: 'document.unreadable' });
  });

  it('finds no blocks in a scanned (image-only) PDF', async () => {
    expect(await extractPdf(await makeImageOnlyPdf(), { maxPages: 10 })).toEqual({ blocks: [], pageCount: 2 });
  });

  it('stops between pages once its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('lease lost'));
    await expect(
      extractPdf(await makePdf([{ lines: ['a'] }]), { maxPages: 10, signal: controller.signal }),
    ).rejects.toThrow('lease lost');
  });
});
