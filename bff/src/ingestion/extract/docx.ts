import mammoth from 'mammoth';
import { IngestionFailure } from '../failure.js';
import { checkDeclaredSizes, zipEntries } from '../zip.js';
import type { Block } from './blocks.js';
import { extractHtml } from './html.js';

/**
 * Most XML a DOCX may expand to, in bytes. mammoth holds the XML parts it reads in memory as
 * a DOM several times their size; 64 MiB of markup is thousands of pages of text, far beyond
 * the 25 MB upload a real document compresses to, and well short of what exhausts memory.
 */
export const maxDocxXmlBytes = 64 * 1024 * 1024;

/** The parts mammoth parses: XML and relationship files. Images it is never asked to read. */
const isMarkup = (name: string) => /\.(xml|rels)$/i.test(name);

/**
 * DOCX → blocks, through mammoth's HTML (so Word's headings, lists and tables survive) and the
 * HTML extractor. Before mammoth inflates anything, the central directory's declared sizes of
 * the XML parts must total at most `maxDocxXmlBytes`, and each part must inflate to no more
 * than it declares (a ZIP bomb fails as `document.too_large` either way). Images are never
 * read; external files are never fetched. A damaged file fails as `document.unreadable`.
 */
export async function extractDocx(bytes: Uint8Array): Promise<Block[]> {
  const markupBytes = (await zipEntries(bytes))
    .filter((entry) => isMarkup(entry.name))
    .reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (markupBytes > maxDocxXmlBytes) {
    throw new IngestionFailure(
      'document.too_large',
      `The document expands to ${Math.round(markupBytes / 1024 / 1024)} MB of markup; at most ${maxDocxXmlBytes / 1024 / 1024} MB is read.`,
    );
  }
  await checkDeclaredSizes(bytes, isMarkup);
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
        externalFileAccess: false,
      },
    );
    html = result.value;
  } catch (error) {
    throw new IngestionFailure(
      'document.unreadable',
      `The Word document could not be read: ${(error as Error).message}`,
    );
  }
  return extractHtml(html);
}
