import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** Test documents made on the spot: nothing binary is committed, and each fixture says what it is. */

export interface PdfPage {
  heading?: string;
  lines: string[];
}

/** A PDF with a text layer: per page an optional 20 pt heading, then 11 pt body lines. */
export async function makePdf(pages: PdfPage[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const spec of pages) {
    const page = pdf.addPage([612, 792]);
    let y = 720;
    if (spec.heading) {
      page.drawText(spec.heading, { x: 56, y, size: 20, font });
      y -= 36;
    }
    for (const line of spec.lines) {
      if (line === '') {
        y -= 14; // a blank line: the next one starts a new paragraph
        continue;
      }
      page.drawText(line, { x: 56, y, size: 11, font });
      y -= 14;
    }
  }
  return pdf.save();
}

/** `count` blank pages: cheap to make (tens of KB), and a PDF with thousands of them must be refused before reading. */
export async function makeEmptyPagesPdf(count: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (let i = 0; i < count; i += 1) pdf.addPage([612, 792]);
  return pdf.save();
}

/** A tiny grey PNG, built by hand (signature, IHDR, IDAT, IEND). */
export function makePng(width = 4, height = 4): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(0, 9); // greyscale
  const rows = Buffer.alloc((width + 1) * height, 0x80);
  for (let r = 0; r < height; r += 1) rows[r * (width + 1)] = 0; // filter byte per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateRawToZlib(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function deflateRawToZlib(data: Buffer): Buffer {
  // zlib framing: header, raw deflate, Adler-32.
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(((b << 16) | a) >>> 0, 0);
  return Buffer.concat([Buffer.from([0x78, 0x9c]), deflateRawSync(data), adler]);
}

/** What a scanner makes: pages that are one image each, no text layer. */
export async function makeImageOnlyPdf(pages = 2): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const image = await pdf.embedPng(makePng());
  for (let i = 0; i < pages; i += 1) {
    pdf.addPage([612, 792]).drawImage(image, { x: 0, y: 0, width: 612, height: 792 });
  }
  return pdf.save();
}

/**
 * A PDF that needs a user password: a standard security handler (RC4, revision 2) whose /U
 * entry matches no password we know, so readers must ask for one. Written by hand (pdf-lib
 * cannot encrypt), with a correct cross-reference table.
 */
export function makeEncryptedPdf(): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
    `<< /Filter /Standard /V 1 /R 2 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> /P -44 >>`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>] >>\n`;
  out += `startxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

/** A Word document with headings, a bullet list, a table and Chinese text. */
export async function makeDocx(): Promise<Uint8Array> {
  const doc = new Document({
    numbering: {
      config: [{ reference: 'bullets', levels: [{ level: 0, format: 'bullet', text: '•' }] }],
    },
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Billing guide')] }),
          new Paragraph({ children: [new TextRun('Invoices are sent on the first day of each month.')] }),
          new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun('Refunds')] }),
          new Paragraph({ children: [new TextRun('Refunds take up to ten working days.')] }),
          new Paragraph({ numbering: { reference: 'bullets', level: 0 }, children: [new TextRun('Open Settings')] }),
          new Paragraph({ numbering: { reference: 'bullets', level: 0 }, children: [new TextRun('Choose Billing')] }),
          new Table({
            rows: [
              new TableRow({
                children: [
                  new TableCell({ children: [new Paragraph('Plan')] }),
                  new TableCell({ children: [new Paragraph('Price')] }),
                ],
              }),
              new TableRow({
                children: [
                  new TableCell({ children: [new Paragraph('Team')] }),
                  new TableCell({ children: [new Paragraph('$20')] }),
                ],
              }),
            ],
          }),
          new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun('退款')] }),
          new Paragraph({
            children: [new TextRun('退款需要十个工作日。'), new TextRun({ text: 'Contact support', bold: true })],
          }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

export interface ZipEntrySpec {
  name: string;
  /** The deflated bytes and their real size; or build them with `deflated`. */
  data: Uint8Array;
  realSize: number;
  /** What the headers claim the entry inflates to; default the real size. */
  declaredSize?: number;
  crc?: number;
}

export function deflated(name: string, content: Uint8Array | string): ZipEntrySpec {
  const bytes = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
  return { name, data: deflateRawSync(bytes), realSize: bytes.length, crc: crc32(bytes) >>> 0 };
}

/** A ZIP archive written by hand, so a test can make its headers lie. */
export function makeZip(entries: ZipEntrySpec[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const size = entry.declaredSize ?? entry.realSize;
    const crc = entry.crc ?? 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, Buffer.from(entry.data));
    centrals.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

/** `bytes` of one repeated byte, deflated a megabyte at a time (the inflated bytes never sit in memory). */
export async function deflatedRepeat(name: string, bytes: number): Promise<ZipEntrySpec> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  const block = Buffer.alloc(1024 * 1024, 0x20);
  let crc = 0;
  for (let left = bytes; left > 0; left -= block.length) {
    const piece = left >= block.length ? block : block.subarray(0, left);
    crc = crc32(piece, crc);
    if (!deflate.write(piece)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return { name, data: Buffer.concat(out), realSize: bytes, crc: crc >>> 0 };
}

/** The minimum parts of a DOCX around a given `word/document.xml` entry. */
export function docxParts(documentXml: ZipEntrySpec): ZipEntrySpec[] {
  return [
    deflated(
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    deflated(
      '_rels/.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ),
    documentXml,
  ];
}
