/**
 * Writes the demo knowledge base's two binary documents from the text in `binary-texts.ts`:
 * `security-and-privacy.pdf` (5 A4 pages, a real text layer in Helvetica) and
 * `service-level-agreement.docx` (Word headings, lists and tables, which mammoth maps to HTML).
 *
 * The outputs are committed, so the product never loads pdf-lib or docx at run time. Run it after
 * changing the text: `npx -y pnpm@10 --filter @atrium/bff demo-kb:binaries`. The output is the same
 * bytes on every run (fixed dates in UTC), and `make-binaries.test.ts` checks the committed files
 * are what this script writes.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { type Block, securityPages, securityTitle, slaBlocks, slaTitle } from './binary-texts.js';

/** One day stamped into both files, so regenerating them changes no byte. */
const publishedAt = new Date('2024-07-01T00:00:00Z');
const author = 'Lumen Software Ltd.';

const pageSize: [number, number] = [595.28, 841.89]; // A4 in points
const margin = 64;
const styles = {
  title: { size: 20, bold: true, before: 0, after: 14 },
  heading: { size: 14, bold: true, before: 12, after: 8 },
  paragraph: { size: 11, bold: false, before: 0, after: 8 },
} as const;

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(candidate, size) > width) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Lays `blocks` out top-down on one page; the content is sized so each section fits its page. */
function drawPage(page: PDFPage, blocks: Block[], fonts: { regular: PDFFont; bold: PDFFont }): void {
  const width = pageSize[0] - 2 * margin;
  let y = pageSize[1] - margin;
  const write = (text: string, style: (typeof styles)[keyof typeof styles], indent = 0) => {
    const font = style.bold ? fonts.bold : fonts.regular;
    y -= style.before;
    for (const line of wrap(text, font, style.size, width - indent)) {
      y -= style.size * 1.35;
      if (y < margin) throw new Error(`page overflows at "${line}": move text to another page`);
      page.drawText(line, { x: margin + indent, y, size: style.size, font, color: rgb(0.1, 0.1, 0.12) });
    }
    y -= style.after;
  };
  for (const block of blocks) {
    if (block.kind === 'bullets') {
      for (const item of block.items) write(`\u2022 ${item}`, styles.paragraph, 12);
    } else if (block.kind === 'table') {
      for (const row of block.rows) write(row.join(' | '), styles.paragraph);
    } else {
      write(block.text, styles[block.kind]);
    }
  }
}

/** The security overview as PDF bytes: one page per entry of `securityPages`. */
export async function buildSecurityPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const fonts = {
    regular: await pdf.embedFont(StandardFonts.Helvetica),
    bold: await pdf.embedFont(StandardFonts.HelveticaBold),
  };
  for (const blocks of securityPages) drawPage(pdf.addPage(pageSize), blocks, fonts);
  pdf.setTitle(securityTitle);
  pdf.setAuthor(author);
  pdf.setSubject('Hosting, encryption, backups, compliance and incident handling at Lumen');
  pdf.setLanguage('en-GB');
  pdf.setCreator('Atrium demo knowledge base (bff/demo-kb/make-binaries.ts)');
  pdf.setProducer('pdf-lib');
  pdf.setCreationDate(publishedAt);
  pdf.setModificationDate(publishedAt);
  return pdf.save();
}

const cell = (text: string, bold: boolean) =>
  new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });

function docxBlock(block: Block): Array<Paragraph | Table> {
  switch (block.kind) {
    case 'title':
      return [new Paragraph({ text: block.text, heading: HeadingLevel.HEADING_1 })];
    case 'heading':
      return [new Paragraph({ text: block.text, heading: HeadingLevel.HEADING_2 })];
    case 'paragraph':
      return [new Paragraph({ text: block.text, alignment: AlignmentType.LEFT })];
    case 'bullets':
      return block.items.map((text) => new Paragraph({ text, bullet: { level: 0 } }));
    case 'table':
      return [
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: block.rows.map((row, index) => new TableRow({ children: row.map((text) => cell(text, index === 0)) })),
        }),
        new Paragraph({ text: '' }),
      ];
  }
}

/**
 * Runs `work` with `Date` frozen at `at` in UTC: docx stamps "now" into docProps/core.xml and
 * into each zip entry's time (in local time), and has no option to pass a date.
 */
async function atFixedTime<T>(at: Date, work: () => Promise<T>): Promise<T> {
  const RealDate = Date;
  const zone = process.env.TZ;
  process.env.TZ = 'UTC';
  class FixedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(at.getTime());
      else super(...(args as [string | number]));
    }
    static override now(): number {
      return at.getTime();
    }
  }
  globalThis.Date = FixedDate as DateConstructor;
  try {
    return await work();
  } finally {
    globalThis.Date = RealDate;
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  }
}

/** The SLA as DOCX bytes: a Heading 1 title, Heading 2 sections, bullet lists and two tables. */
export async function buildSlaDocx(): Promise<Uint8Array> {
  const bytes = await atFixedTime(publishedAt, () => {
    const document = new Document({
      creator: author,
      title: slaTitle,
      description: 'Uptime commitment, service credits and support response targets for Lumen',
      sections: [{ children: slaBlocks.flatMap(docxBlock) }],
    });
    return Packer.toBuffer(document);
  });
  return new Uint8Array(bytes);
}

export const binaryFiles = {
  'security-and-privacy.pdf': buildSecurityPdf,
  'service-level-agreement.docx': buildSlaDocx,
} as const;

async function main(): Promise<void> {
  for (const [file, build] of Object.entries(binaryFiles)) {
    const bytes = await build();
    await writeFile(join(import.meta.dirname, file), bytes);
    process.stdout.write(`wrote ${file} (${bytes.byteLength} bytes)\n`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
