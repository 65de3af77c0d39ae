import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { audienceRank } from '@atrium/contracts';
import { eq } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { loadConfig } from '../bff/src/config.js';
import type { Database } from '../bff/src/db/index.js';
import { documents } from '../bff/src/db/schema/index.js';
import { createDocumentStore, type DocumentStore } from '../bff/src/documents/store.js';
import { detectType } from '../bff/src/ingestion/detect-type.js';
import { extract } from '../bff/src/ingestion/extract/index.js';
import { type EmbedChunks, ingestDocument } from '../bff/src/ingestion/pipeline.js';
import { createLogger } from '../bff/src/logger.js';
import { createInProcessBus } from '../bff/src/realtime/in-process-bus.js';
import { createOpenAiEmbedder } from '../bff/src/retrieval/embeddings.js';
import { createKnowledgeBase } from '../bff/src/retrieval/knowledge-base.js';
import { makePdf, type PdfPage } from '../bff/src/testing/document-fixtures.js';
import { createManualClock } from '../bff/src/testing/manual-clock.js';
import { startScriptedEmbeddings } from '../bff/src/testing/scripted-embeddings.js';
import { openTestDatabase } from '../bff/src/testing/test-database.js';
import { createUser } from '../bff/src/users/accounts.js';
import { flag, helpRequested, summary } from './harness.js';

const help = `
ingestion — pages/s through the real ingestion pipeline (ingestDocument: parse → chunk → embed →
  one transaction writing chunks, tsvectors and vectors), for plain text and PDF, with and without
  embeddings. Baseline in the same run: extract() alone on the same bytes, so the ratio is what
  chunking, indexing and embedding add. Embeddings come from the scripted /embeddings server
  (bff/src/testing/scripted-embeddings.ts, 64 dims) standing in for the provider: its own cost
  is a hash per token plus a loopback round trip per 64 chunks, far below a real model's.
  PGlite in memory (pgvector included), or PostgreSQL with DATABASE_URL (no vectors without pgvector).
  Each document has different text (so the embedding cache never hits); the upload (store write,
  row insert) is not timed.
  --pages N      pages per document (default 40)
  --docs D       documents per variant (default 3)
  --big-mb M     size of the PDF whose peak RSS is measured in a child process (default 50; 0 skips):
                 --big-pages text pages (default 1000) and, to reach the size, full-page figures
                 (incompressible 1200×1200 RGB PNGs, one per page from page 1), as in a manual with
                 screenshots or a scanned appendix
`;

// A small vocabulary is enough for realistic chunking/tokenising: words of 2–12 letters, sentences, paragraphs.
const vocabulary = (
  'account access administrator agent answer application approval archive audience backup billing browser cache ' +
  'certificate channel client cluster configuration connection contract customer dashboard database deadline ' +
  'deployment device directory document domain download employee encryption environment error escalation export ' +
  'feature firewall folder gateway guide handbook incident invoice issue knowledge laptop license login mailbox ' +
  'manager meeting migration mobile network notification office onboarding password payment permission policy ' +
  'printer procedure project quota receipt refund release report request reset retention review role router ' +
  'schedule security server service session settings storage subscription support system team ticket token ' +
  'training upgrade upload user vendor version warranty workflow the a of to and in for on with by from is are ' +
  'must should can will each every after before when then'
).split(' ');

/** Deterministic pseudo-random numbers, so runs are comparable; `seed` makes each document's text differ. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

/** One page ≈ 48 lines of ≤ 90 characters (~3,800 characters): a heading, paragraphs separated by blank lines. */
function pagesOf(count: number, seed: number): PdfPage[] {
  const next = random(seed);
  const word = () => vocabulary[Math.floor(next() * vocabulary.length)]!;
  const pages: PdfPage[] = [];
  for (let p = 0; p < count; p++) {
    const lines: string[] = [];
    while (lines.length < 46) {
      const sentences = 3 + Math.floor(next() * 4);
      let paragraph = '';
      for (let s = 0; s < sentences; s++) {
        const words = Array.from({ length: 8 + Math.floor(next() * 12) }, word);
        words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
        paragraph += `${words.join(' ')} ${Math.floor(next() * 1000)}. `;
      }
      let line = '';
      for (const w of paragraph.trim().split(' ')) {
        if (line.length + w.length + 1 > 90) {
          lines.push(line);
          line = w;
        } else line = line ? `${line} ${w}` : w;
      }
      lines.push(line, '');
    }
    pages.push({ heading: `Section ${p + 1} ${word()} ${word()}`, lines: lines.slice(0, 46) });
  }
  return pages;
}

/** The same pages as plain text: heading line, blank line, the body, pages separated by blank lines. */
const textOf = (pages: PdfPage[]) =>
  new TextEncoder().encode(pages.map((p) => `${p.heading}\n\n${p.lines.join('\n')}\n`).join('\n'));

async function setUp() {
  const database = await openTestDatabase(loadConfig().database);
  const dir = mkdtempSync(path.join(tmpdir(), 'atrium-bench-ingest-'));
  const store = createDocumentStore({ dir });
  const clock = createManualClock();
  const owner = await createUser(database.db, {
    email: 'bench-ingest@example.com',
    role: 'user',
    password: 'a perfectly long password',
    displayName: 'Bench',
    now: clock.now(),
  });
  return { database, dir, store, clock, owner };
}

async function upload(db: Database, store: DocumentStore, ownerId: string, now: Date, bytes: Uint8Array, name: string) {
  const stored = await store.write(bytes);
  const [row] = await db
    .insert(documents)
    .values({
      ownerId,
      title: name,
      filename: name,
      sizeBytes: stored.sizeBytes,
      sha256: stored.sha256,
      audience: 'private',
      audienceRank: audienceRank.private,
      status: 'queued',
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return row!;
}

const maxPages = 100_000;

/** A PNG of random RGB pixels (does not compress: each costs its full size in the PDF). */
function noisePng(side: number, next: () => number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // RGB
  const rows = Buffer.alloc((side * 3 + 1) * side);
  for (let i = 0; i < rows.length; i++) rows[i] = i % (side * 3 + 1) === 0 ? 0 : Math.floor(next() * 256);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** `textPages` pages of text (as `makePdf`), with full-page figures added to pages 1, 2, … until the file is `targetBytes`. */
async function bigPdf(textPages: number, targetBytes: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(await makePdf(pagesOf(textPages, 7)));
  const next = random(11);
  let size = (await pdf.save()).length;
  for (let page = 0; size < targetBytes && page < textPages; page++) {
    const png = noisePng(1200, next);
    const image = await pdf.embedPng(png);
    pdf.getPage(page).drawImage(image, { x: 56, y: 40, width: 500, height: 500 });
    size += png.length;
  }
  return pdf.save();
}
const logger = createLogger('silent');

/** Child mode: ingest one file (or, with `idle`, set up the same things and do nothing), then print maxRSS. */
async function child(file: string | null) {
  const { database, dir, store, clock, owner } = await setUp();
  const bus = createInProcessBus();
  let outcome = 'idle';
  let pages = 0;
  let chunks = 0;
  if (file) {
    const bytes = new Uint8Array(readFileSync(file));
    const row = await upload(database.db, store, owner.id, clock.now(), bytes, 'big.pdf');
    outcome = await ingestDocument(
      { db: database.db, bus, clock, logger, store, embed: null, maxPages },
      { documentId: row.id, generation: 1 },
      new AbortController().signal,
    );
    const [done] = await database.db.select().from(documents);
    pages = done?.pageCount ?? 0;
    chunks = done?.chunkCount ?? 0;
  }
  process.stdout.write(
    `${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, rssKb: process.memoryUsage().rss / 1024, outcome, pages, chunks })}\n`,
  );
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}

function runChild(
  args: string[],
): Promise<{ maxRssKb: number; outcome: string; pages: number; chunks: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...process.execArgv, import.meta.filename, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`child exited ${code}`));
      resolve({ ...JSON.parse(out.trim().split('\n').pop()!), ms: performance.now() - started });
    });
  });
}

async function main() {
  const pageCount = flag('pages', 40);
  const docs = flag('docs', 3);
  const bigMb = flag('big-mb', 50);
  const startLoad = loadavg();
  const { database, dir, store, clock, owner } = await setUp();
  const bus = createInProcessBus();
  const scripted = await startScriptedEmbeddings({ dims: 64 });
  const kb = await createKnowledgeBase({
    config: loadConfig(),
    db: database.db,
    logger,
    embedder: createOpenAiEmbedder({
      model: scripted.model,
      baseUrl: scripted.baseUrl,
      apiKey: null,
      timeoutMs: 30_000,
    }),
  });
  const embedders: [string, EmbedChunks | null][] = [['full-text only', null]];
  if (kb.embedChunks) embedders.push(['with embeddings', kb.embedChunks]);

  let seed = 1;
  const rows: string[] = [];
  // Unmeasured warm-up of both kinds: module loading (pdf.js), JIT, the first statements' plans.
  for (const kind of ['text', 'pdf'] as const) {
    const pages = pagesOf(pageCount, 1_000_000 + seed++);
    const bytes = kind === 'pdf' ? await makePdf(pages) : textOf(pages);
    await extract(bytes, await detectType(bytes, `warm.${kind === 'pdf' ? 'pdf' : 'txt'}`), { maxPages });
    const row = await upload(database.db, store, owner.id, clock.now(), bytes, `warm-${kind}`);
    await ingestDocument(
      { db: database.db, bus, clock, logger, store, embed: kb.embedChunks, maxPages },
      { documentId: row.id, generation: 1 },
      new AbortController().signal,
    );
  }
  for (const kind of ['text', 'pdf'] as const) {
    for (const [embedName, embed] of embedders) {
      const extractMs: number[] = [];
      const ingestMs: number[] = [];
      let chunks = 0;
      for (let d = 0; d < docs; d++) {
        const pages = pagesOf(pageCount, seed++);
        const bytes = kind === 'pdf' ? await makePdf(pages) : textOf(pages);
        const name = kind === 'pdf' ? `bench-${seed}.pdf` : `bench-${seed}.txt`;
        // Baseline: type detection + extraction of the same bytes, nothing else.
        let started = performance.now();
        const mediaType = await detectType(bytes, name);
        await extract(bytes, mediaType, { maxPages });
        extractMs.push(performance.now() - started);

        const row = await upload(database.db, store, owner.id, clock.now(), bytes, name);
        started = performance.now();
        const outcome = await ingestDocument(
          { db: database.db, bus, clock, logger, store, embed, maxPages },
          { documentId: row.id, generation: 1 },
          new AbortController().signal,
        );
        ingestMs.push(performance.now() - started);
        if (outcome !== 'ready') throw new Error(`${name}: ${outcome}`);
        const [done] = await database.db
          .select({ n: documents.chunkCount })
          .from(documents)
          .where(eq(documents.id, row.id));
        chunks += done?.n ?? 0;
      }
      const e = summary(extractMs).p50;
      const i = summary(ingestMs).p50;
      rows.push(
        `  ${kind.padEnd(5)} ${embedName.padEnd(16)} ${(pageCount / (i / 1000)).toFixed(1).padStart(8)} pages/s` +
          `   baseline extract() ${(pageCount / (e / 1000)).toFixed(1).padStart(8)} pages/s` +
          `   ratio time ${(i / e).toFixed(2).padStart(5)}×   (median of ${docs}: ${i.toFixed(0)} vs ${e.toFixed(0)} ms; ~${Math.round(chunks / docs)} chunks/doc)`,
      );
      process.stdout.write(`${rows.at(-1)}\n`);
    }
  }
  if (!kb.embedChunks) process.stdout.write('  (no pgvector on this database: embeddings not measured)\n');
  await scripted.close();
  await database.close();
  rmSync(dir, { recursive: true, force: true });

  if (bigMb > 0) {
    const work = mkdtempSync(path.join(tmpdir(), 'atrium-bench-bigpdf-'));
    const file = path.join(work, 'big.pdf');
    const bytes = await bigPdf(flag('big-pages', 1000), bigMb * 1024 * 1024);
    writeFileSync(file, bytes);
    const idle = await runChild(['--child', 'idle']);
    const busy = await runChild(['--child', file]);
    rmSync(work, { recursive: true, force: true });
    process.stdout.write(
      `  peak RSS, one ${(bytes.length / 1024 / 1024).toFixed(1)} MB PDF (${busy.pages} pages → ${busy.chunks} chunks, ${busy.outcome}, full-text only, child process):\n` +
        `    ingesting ${(busy.maxRssKb / 1024).toFixed(0)} MB   baseline: same child set up, idle ${(idle.maxRssKb / 1024).toFixed(0)} MB` +
        `   ratio ${(busy.maxRssKb / idle.maxRssKb).toFixed(2)}×   growth ${((busy.maxRssKb - idle.maxRssKb) / 1024).toFixed(0)} MB` +
        `   (child wall time ${(busy.ms / 1000).toFixed(1)} s, ${(busy.pages / (busy.ms / 1000)).toFixed(1)} pages/s incl. start-up)\n`,
    );
  }
  process.stdout.write(
    `load average at start ${startLoad.map((x) => x.toFixed(1)).join(' ')}, at end ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}\n`,
  );
}

const childIndex = process.argv.indexOf('--child');
if (childIndex >= 0) {
  const target = process.argv[childIndex + 1]!;
  await child(target === 'idle' ? null : target);
  process.exit(0);
} else if (!helpRequested(help)) {
  await main();
  process.exit(0);
}
