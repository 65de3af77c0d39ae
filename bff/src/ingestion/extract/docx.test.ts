import { describe, expect, it } from 'vitest';
import { deflated, deflatedRepeat, docxParts, makeDocx, makeZip } from '../../testing/document-fixtures.js';
import { extractDocx, maxDocxXmlBytes } from './docx.js';

describe('extractDocx', () => {
  it("keeps Word's headings, lists and tables, and Chinese text", async () => {
    expect(await extractDocx(await makeDocx())).toEqual([
      { kind: 'heading', level: 1, text: 'Billing guide' },
      { kind: 'paragraph', text: 'Invoices are sent on the first day of each month.' },
      { kind: 'heading', level: 2, text: 'Refunds' },
      { kind: 'paragraph', text: 'Refunds take up to ten working days.' },
      { kind: 'list', text: '- Open Settings\n- Choose Billing' },
      { kind: 'table', text: 'Plan | Price\nTeam | $20' },
      { kind: 'heading', level: 2, text: '退款' },
      { kind: 'paragraph', text: '退款需要十个工作日。Contact support' },
    ]);
  });

  it('refuses a ZIP bomb from its declared sizes, before inflating it', async () => {
    // 80 MiB of spaces deflate to ~80 KB: a small upload that would expand past the limit.
    const bomb = makeZip(docxParts(await deflatedRepeat('word/document.xml', maxDocxXmlBytes + 16 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expect(extractDocx(bomb)).rejects.toMatchObject({
      code: 'document.too_large',
      message: 'The document expands to 80 MB of markup; at most 64 MB is read.',
    });
  });

  it('refuses a part that inflates beyond the size it declares', async () => {
    const real = await deflatedRepeat('word/document.xml', 8 * 1024 * 1024);
    const lying = makeZip(docxParts({ ...real, declaredSize: 1_000 }));
    await expect(extractDocx(lying)).rejects.toMatchObject({
      code: 'document.too_large',
      message: 'A part of the file (word/document.xml) expands beyond the size it declares.',
    });
  });

  it('says a Word file with a broken document part is unreadable', async () => {
    const broken = makeZip(docxParts(deflated('word/document.xml', '<w:document><w:body><unclosed')));
    await expect(extractDocx(broken)).rejects.toMatchObject({ code: 'document.unreadable' });
  });
});
