import { describe, expect, it } from 'vitest';
import { deflated, docxParts, makeDocx, makePdf, makeZip } from '../testing/document-fixtures.js';
import { decodeText, detectType } from './detect-type.js';

const text = (s: string) => new TextEncoder().encode(s);

describe('detectType', () => {
  it('recognises PDF and DOCX by their bytes, whatever the name says', async () => {
    expect(await detectType(await makePdf([{ lines: ['Hello'] }]), 'notes.txt')).toBe('application/pdf');
    expect(await detectType(await makeDocx(), 'report.pdf')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
  });

  it('tells HTML, Markdown and plain text apart by their content', async () => {
    expect(await detectType(text('<!DOCTYPE html><html><body><p>Hi</p></body></html>'))).toBe('text/html');
    expect(await detectType(text('\n  <!-- saved page -->\n<html lang="en"><p>Hi</p>'))).toBe('text/html');
    expect(await detectType(text('# Install\n\nRun the installer.\n'))).toBe('text/markdown');
    expect(await detectType(text('Steps\n\n- open [Settings](/settings)\n- press **Save**\n'))).toBe('text/markdown');
    expect(await detectType(text('Dear team,\n\nthe office is closed on Friday - see you Monday.\n'))).toBe(
      'text/plain',
    );
    expect(await detectType(text('如何重置密码：打开设置，点击“安全”。'))).toBe('text/plain');
  });

  it('lets a .md name choose Markdown only for bytes that are text anyway', async () => {
    expect(await detectType(text('Plain words.'), 'readme.md')).toBe('text/markdown');
    await expect(detectType(new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03]), 'readme.md')).rejects.toMatchObject({
      code: 'document.unsupported_type',
    });
  });

  it('refuses a renamed executable, an image, a ZIP that is not a Word file, and non-UTF-8 bytes', async () => {
    const exe = new Uint8Array(512);
    exe.set([0x4d, 0x5a, 0x90, 0x00], 0);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const xlsx = makeZip([deflated('[Content_Types].xml', '<Types/>'), deflated('xl/workbook.xml', '<workbook/>')]);
    const latin1 = new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x20, 0x63, 0x72, 0xe8, 0x6d, 0x65]); // "Café crème" in Latin-1
    for (const [bytes, name] of [
      [exe, 'manual.pdf'],
      [png, 'scan.txt'],
      [xlsx, 'sheet.docx'],
      [latin1, 'menu.txt'],
    ] as const) {
      await expect(detectType(bytes, name), name).rejects.toMatchObject({ code: 'document.unsupported_type' });
    }
  });

  it('says an empty or blank file has no text, and a damaged ZIP is unreadable', async () => {
    await expect(detectType(new Uint8Array(0))).rejects.toMatchObject({ code: 'document.no_text' });
    await expect(detectType(text(' \n\t\n'))).rejects.toMatchObject({ code: 'document.no_text' });
    const truncated = makeZip(docxParts(deflated('word/document.xml', '<w:document/>'))).subarray(0, 60);
    await expect(detectType(truncated)).rejects.toMatchObject({ code: 'document.unreadable' });
  });
});

describe('decodeText', () => {
  it('accepts UTF-8 (dropping a BOM) and UTF-16 with a BOM; refuses NULs and binary noise', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]))).toBe('hi');
    expect(decodeText(new Uint8Array([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00]))).toBe('hi');
    expect(decodeText(new Uint8Array([0x68, 0x00, 0x69]))).toBeNull();
    expect(decodeText(new Uint8Array(200).fill(0x01))).toBeNull();
  });
});
