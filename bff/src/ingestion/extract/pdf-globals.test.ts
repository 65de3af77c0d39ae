import { expect, it } from 'vitest';
import { makePdf } from '../../testing/document-fixtures.js';

// Taken before pdf.ts is loaded (no static import of it in this file): its identity is the test.
const nativePush = Array.prototype.push;

it("leaves the process's own Array.prototype.push in place, before and after a PDF is read", async () => {
  const { extractPdf } = await import('./pdf.js');
  expect(Array.prototype.push).toBe(nativePush);
  await extractPdf(await makePdf([{ heading: 'Push', lines: ['One line.'] }]), { maxPages: 10 });
  expect(Array.prototype.push).toBe(nativePush);
});
