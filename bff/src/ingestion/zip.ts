import yauzl from 'yauzl';
import { IngestionFailure } from './failure.js';

/** One file in a ZIP archive, as its central directory declares it (sizes in bytes). */
export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

/** More entries than any word-processing file has: reading the directory stops there. */
const maxEntries = 10_000;

function openZip(bytes: Uint8Array): Promise<yauzl.ZipFile> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true }, (error, zip) =>
      error ? reject(error) : resolve(zip),
    );
  });
}

/**
 * Walks the central directory without inflating anything, calling `visit` for each entry
 * (awaited before the next). A damaged archive, an unsafe entry name (absolute, `..`) or more
 * than 10,000 entries fail as `document.unreadable`.
 */
async function walk(
  bytes: Uint8Array,
  visit: (entry: yauzl.Entry, zip: yauzl.ZipFile) => Promise<void>,
): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(bytes);
  } catch (error) {
    throw new IngestionFailure('document.unreadable', `The archive could not be read: ${(error as Error).message}`);
  }
  if (zip.entryCount > maxEntries) {
    zip.close();
    throw new IngestionFailure('document.unreadable', `The archive has more than ${maxEntries} files.`);
  }
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      zip.close();
      reject(
        error instanceof IngestionFailure
          ? error
          : new IngestionFailure('document.unreadable', `The archive could not be read: ${error.message}`),
      );
    };
    zip.on('error', fail);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      visit(entry, zip).then(() => zip.readEntry(), fail);
    });
    zip.readEntry();
  });
}

/** The archive's entries as its central directory declares them; nothing is inflated. */
export async function zipEntries(bytes: Uint8Array): Promise<ZipEntryInfo[]> {
  const entries: ZipEntryInfo[] = [];
  await walk(bytes, async (entry) => {
    entries.push({
      name: entry.fileName,
      compressedSize: entry.compressedSize,
      uncompressedSize: entry.uncompressedSize,
    });
  });
  return entries;
}

/**
 * Inflates the entries `selected` picks, discarding the bytes, to prove each inflates to no
 * more than its declared size (yauzl stops a stream at the declared size and errors): after
 * this, the declared sizes bound what a parser reading those entries can allocate. A lying
 * entry fails as `document.too_large`, a damaged one as `document.unreadable`.
 */
export async function checkDeclaredSizes(bytes: Uint8Array, selected: (name: string) => boolean): Promise<void> {
  await walk(bytes, async (entry, zip) => {
    if (!selected(entry.fileName)) return;
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
      zip.openReadStream(entry, (error, readable) => (error ? reject(error) : resolve(readable))),
    );
    try {
      for await (const _ of stream) {
        // Discarded: only the count matters, and yauzl checks it.
      }
    } catch (error) {
      const message = (error as Error).message;
      if (/too many bytes/.test(message)) {
        throw new IngestionFailure(
          'document.too_large',
          `A part of the file (${entry.fileName}) expands beyond the size it declares.`,
        );
      }
      throw new IngestionFailure(
        'document.unreadable',
        `A part of the file (${entry.fileName}) is damaged: ${message}`,
      );
    }
  });
}
