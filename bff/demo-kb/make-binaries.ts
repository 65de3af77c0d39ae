/**
 * Writes the demo knowledge base's two binary documents from the text below:
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

type Block =
  | { kind: 'title' | 'heading' | 'paragraph'; text: string }
  | { kind: 'bullets'; items: string[] }
  | { kind: 'table'; rows: string[][] };

/** One day stamped into both files, so regenerating them changes no byte. */
const publishedAt = new Date('2024-07-01T00:00:00Z');
const author = 'Lumen Software Ltd.';

export const securityTitle = 'Lumen Security and Privacy Overview';

/** The PDF, page by page (each page starts a new section; Helvetica has no "→", so menus use ">"). */
const securityPages: Block[][] = [
  [
    { kind: 'title', text: securityTitle },
    { kind: 'paragraph', text: 'Version 3, updated 1 July 2024. For customers and prospects.' },
    { kind: 'heading', text: '1. Overview' },
    {
      kind: 'paragraph',
      text: 'This overview describes how Lumen Software Ltd. protects the calendars, bookings and personal data that customers entrust to Lumen. It covers hosting, encryption, access by Lumen staff, backups, data deletion, compliance and how we handle incidents. The latest version is always at lumen.example/security.',
    },
    { kind: 'heading', text: '2. Where your data is hosted' },
    {
      kind: 'paragraph',
      text: 'Lumen runs on Amazon Web Services. Workspaces in the EU region are hosted in Frankfurt, Germany (eu-central-1); workspaces in the US region are hosted in Northern Virginia, USA (us-east-1). The region is chosen when the workspace is created, and all of its data, including backups, stays in that region.',
    },
    {
      kind: 'paragraph',
      text: 'Enterprise workspaces can move to the other region once per year, at no charge, in a maintenance window agreed with their customer success manager.',
    },
  ],
  [
    { kind: 'heading', text: '3. Encryption' },
    {
      kind: 'paragraph',
      text: 'All data is encrypted at rest with AES-256, including databases, file storage and backups.',
    },
    {
      kind: 'paragraph',
      text: 'All traffic to and from Lumen uses TLS 1.2 or higher; older protocol versions are refused. HTTP Strict Transport Security (HSTS) is enabled on every Lumen domain.',
    },
    {
      kind: 'paragraph',
      text: 'The OAuth tokens that connect Lumen to your calendars are encrypted again with a key per workspace, held in AWS Key Management Service (KMS) and rotated every 90 days.',
    },
    { kind: 'heading', text: '4. Access by Lumen staff' },
    {
      kind: 'paragraph',
      text: 'Lumen staff cannot see the content of your workspace by default. When support needs to look at your data, a workspace Admin grants access under Admin > Security > Grant support access. Support access lasts 48 hours, can be revoked at any time, and every action taken by Lumen staff is recorded in your admin audit log.',
    },
    {
      kind: 'paragraph',
      text: 'Production systems are reachable only through single sign-on with hardware security keys, and staff access is reviewed every quarter.',
    },
  ],
  [
    { kind: 'heading', text: '5. Backups and recovery' },
    {
      kind: 'paragraph',
      text: 'Databases are backed up every 6 hours. Backups are encrypted, stored in a second availability zone of the same region, and kept for 35 days.',
    },
    {
      kind: 'paragraph',
      text: 'Every quarter we restore a backup into an isolated environment to prove that restores work. Our recovery point objective (RPO) is 6 hours and our recovery time objective (RTO) is 4 hours.',
    },
    { kind: 'heading', text: '6. Data retention and deletion' },
    {
      kind: 'paragraph',
      text: 'When a workspace is deleted, its data is kept for 30 days so that the Owner can restore it, then deleted from our live systems. Deleted data disappears from backups as they expire, at most 35 days later.',
    },
    {
      kind: 'paragraph',
      text: 'The booking data of a guest who asks to be forgotten is deleted within 30 days of the request.',
    },
  ],
  [
    { kind: 'heading', text: '7. Compliance' },
    {
      kind: 'bullets',
      items: [
        'SOC 2 Type II: audited every year by an independent firm. Customers can read the latest report under NDA at trust.lumen.example.',
        'ISO/IEC 27001: certified since 2022.',
        'GDPR: Lumen acts as a processor. A data processing agreement (DPA) is part of our terms and can be signed in the app under Admin > Legal.',
        "Subprocessors are listed at lumen.example/subprocessors. We give 30 days' notice by email before adding a new subprocessor.",
      ],
    },
  ],
  [
    { kind: 'heading', text: '8. Security incidents' },
    {
      kind: 'paragraph',
      text: 'If we confirm a breach of personal data, we notify affected customers within 72 hours, by email to the workspace Owner and Admins, and post updates on status.lumen.example.',
    },
    { kind: 'heading', text: '9. Reporting a vulnerability' },
    {
      kind: 'paragraph',
      text: "Report a vulnerability to security@lumen.example. We acknowledge every report within 3 business days. Our bug bounty pays up to $10,000 for critical findings; please do not test against other customers' workspaces.",
    },
  ],
];

export const slaTitle = 'Service Level Agreement (SLA)';

const slaBlocks: Block[] = [
  { kind: 'title', text: slaTitle },
  {
    kind: 'paragraph',
    text: 'Effective from 1 July 2024. This Service Level Agreement applies to workspaces on the Business and Enterprise plans. It does not apply to the Free and Team plans or to trials.',
  },
  { kind: 'heading', text: 'Uptime commitment' },
  {
    kind: 'paragraph',
    text: 'Lumen commits to the following monthly uptime for the web app, booking pages and the API:',
  },
  { kind: 'bullets', items: ['Business plan: 99.9% monthly uptime.', 'Enterprise plan: 99.95% monthly uptime.'] },
  { kind: 'heading', text: 'How uptime is measured' },
  {
    kind: 'paragraph',
    text: 'External probes check Lumen every minute from three regions (Europe, North America and Asia). A minute counts as downtime when at least 2 of the 3 probes fail. Monthly uptime is the share of minutes in the calendar month that were not downtime, leaving out the exclusions below.',
  },
  { kind: 'heading', text: 'Service credits' },
  {
    kind: 'paragraph',
    text: "If monthly uptime falls below the commitment, you receive a service credit, as a share of that month's fee:",
  },
  {
    kind: 'table',
    rows: [
      ['Monthly uptime', 'Service credit'],
      ['Below the commitment, but at least 99.0%', '10%'],
      ['Below 99.0%, but at least 95.0%', '25%'],
      ['Below 95.0%', '50%'],
    ],
  },
  {
    kind: 'paragraph',
    text: 'Service credits are applied to your next invoice. They are not paid out in cash, and the credit for one month never exceeds 50% of that month\u2019s fee.',
  },
  { kind: 'heading', text: 'How to claim a credit' },
  {
    kind: 'paragraph',
    text: 'Email sla@lumen.example within 30 days after the end of the affected month, with your workspace ID and the dates and times of the incident. We answer every claim within 10 business days.',
  },
  { kind: 'heading', text: 'Exclusions' },
  {
    kind: 'bullets',
    items: [
      'Scheduled maintenance, announced on status.lumen.example at least 72 hours ahead. Maintenance takes place on Sundays between 02:00 and 06:00 UTC and lasts at most 4 hours per month.',
      'Outages of Google Calendar, Microsoft 365, iCloud or other calendar providers.',
      "Problems caused by the customer's own network or identity provider, or by misuse of the service.",
    ],
  },
  { kind: 'heading', text: 'Support response targets' },
  {
    kind: 'table',
    rows: [
      ['Priority', 'Business', 'Enterprise'],
      ['Priority 1: service unavailable', '4 hours', '1 hour, 24/7'],
      ['Priority 2: major feature impaired', '1 business day', '4 hours'],
      ['Priority 3: question or minor issue', '2 business days', '2 business days'],
    ],
  },
];

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
