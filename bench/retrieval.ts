import { loadavg } from 'node:os';
import { type Role, roles } from '@atrium/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { loadConfig } from '../bff/src/config.js';
import { type Database, hasVectorSearch, queryRows } from '../bff/src/db/index.js';
import type { Reader } from '../bff/src/documents/access.js';
import { createLogger } from '../bff/src/logger.js';
import type { Embedder } from '../bff/src/retrieval/embeddings.js';
import { reciprocalRankFusion } from '../bff/src/retrieval/fuse.js';
import { contentTerms, createRetriever, termCoverage } from '../bff/src/retrieval/search.js';
import { searchTokens } from '../bff/src/retrieval/tokenize.js';
import { ensureVectorIndex, vectorLiteral } from '../bff/src/retrieval/vector-store.js';
import { embedText } from '../bff/src/testing/scripted-embeddings.js';
import { openTestDatabase } from '../bff/src/testing/test-database.js';
import { flag, helpRequested, percentile } from './harness.js';

const help = `
retrieval — latency of one question through the real retriever (createRetriever: full-text, and
  hybrid full-text + HNSW vectors fused with RRF, then the passages loaded), over --chunks synthetic
  chunks of mixed English/Chinese text across --owners owners and all four audiences, asked by
  readers of every role. Baseline in the same run, interleaved question by question: the same SQL
  statements in the same order (and the same term-coverage filter and fusion in JS) without the
  access filter (documents/access.ts visibleTo) — the ratio is what the access rule costs.
  Chunks are inserted in bulk with SQL (INSERT … SELECT over generate_series), each joining three
  of --pool sentences made here; search_vector = to_tsvector('simple', our tokens) as ingestion
  writes it. A chunk's vector is the sum of its sentences' scripted embeddings (embedText, the
  scripted /embeddings server's function, in process: no HTTP in either side).
  PGlite in memory (with pgvector), or PostgreSQL with DATABASE_URL (a scratch database is
  created and dropped; without pgvector — Debian's PostgreSQL has none — full-text only).
  --chunks N     chunks (default 100000)
  --owners O     owners (default 200); documents hold 50 chunks each
  --dims D       vector dimensions (default 64)
  --pool P       distinct sentences (default 20000)
  --queries Q    measured questions per mode (default 300)
`;

function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

const englishWords = (
  'account access administrator agent answer application approval archive audience backup billing browser cache ' +
  'certificate channel client cluster configuration connection contract customer dashboard database deadline ' +
  'deployment device directory document domain download employee encryption environment error escalation export ' +
  'feature firewall folder gateway guide handbook incident invoice issue knowledge laptop license login mailbox ' +
  'manager meeting migration mobile network notification office onboarding password payment permission policy ' +
  'printer procedure project quota receipt refund release report request reset retention review role router ' +
  'schedule security server service session settings storage subscription support system team ticket token ' +
  'training upgrade upload user vendor version warranty workflow'
).split(' ');
const glue =
  'the a of to and in for on with by from is are must should can will each every after before when then'.split(' ');
const hanWords =
  '密码 重置 账户 设置 安全 登录 发票 退款 审批 权限 文档 网络 邮箱 服务器 客户 合同 报销 流程 培训 版本 升级 备份 存储 证书 加密 会议 项目 部门 员工 政策 系统 支付 订阅 配额 工单 故障 打印机 路由器 防火墙 知识库 手册 指南 申请 通知 团队 数据 迁移 导出 上传 下载 目录 域名 设备 笔记本 许可证'.split(
    ' ',
  );
const hanGlue = '的 了 在 和 与 请 先 然后 需要 可以 必须 每个 如果 之后'.split(' ');
const syllables = 'ka lo mi ra te vo zu ne si pa do gri tal ven mor lek sar bin dex quo'.split(' ');

/**
 * The vocabulary, most frequent first (Zipf): the real topic words, then 3,000 made-up terms
 * (product names, codes) so that most words are rare, as in a real corpus.
 */
function vocabulary(): { english: string[]; han: string[] } {
  const next = random(5);
  const made = new Set<string>();
  while (made.size < 3000) {
    const parts = 2 + Math.floor(next() * 2);
    made.add(Array.from({ length: parts }, () => syllables[Math.floor(next() * syllables.length)]).join(''));
  }
  const hanChars = [...new Set(hanWords.join(''))];
  const madeHan = new Set<string>();
  while (madeHan.size < 600) {
    madeHan.add(`${hanChars[Math.floor(next() * hanChars.length)]}${hanChars[Math.floor(next() * hanChars.length)]}`);
  }
  return { english: [...englishWords, ...made], han: [...hanWords, ...madeHan] };
}

/** Index into a list of `n` with a Zipf-like skew (rank r drawn with weight ~1/r). */
const zipf = (next: () => number, n: number) => Math.min(n - 1, Math.floor(Math.exp(next() * Math.log(n + 1)) - 1));

/** Sentences: 70% English, 20% Chinese, 10% English with a Chinese term in it. */
function sentences(count: number): string[] {
  const { english, han } = vocabulary();
  const next = random(9);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = next();
    const words: string[] = [];
    const length = 10 + Math.floor(next() * 14);
    if (kind < 0.2) {
      for (let w = 0; w < length; w++)
        words.push(next() < 0.3 ? hanGlue[Math.floor(next() * hanGlue.length)]! : han[zipf(next, han.length)]!);
      out.push(`${words.join('')}。`);
      continue;
    }
    for (let w = 0; w < length; w++) {
      words.push(next() < 0.35 ? glue[Math.floor(next() * glue.length)]! : english[zipf(next, english.length)]!);
    }
    if (kind > 0.9) words.splice(3, 0, han[zipf(next, han.length)]!);
    out.push(`${words.join(' ')} ${Math.floor(next() * 1000)}.`);
  }
  return out;
}

/** Questions people would ask: 2–4 content words (English), or a Chinese phrase of 2–3 terms. */
function questions(count: number): string[] {
  const { english, han } = vocabulary();
  const next = random(13);
  const pick = (list: string[]) => list[Math.min(list.length - 1, Math.floor(next() * 400))]!;
  return Array.from({ length: count }, () => {
    if (next() < 0.3) return `如何${pick(han)}${pick(han)}${next() < 0.5 ? pick(han) : ''}？`;
    const words = Array.from({ length: 2 + Math.floor(next() * 3) }, () => pick(english));
    return `how do I ${words.join(' ')}?`;
  });
}

async function populate(db: Database, options: { chunks: number; owners: number; pool: number; dims: number | null }) {
  const perDoc = 50;
  const docs = Math.ceil(options.chunks / perDoc);
  await db.execute(sql`
    insert into users (email, display_name, role, password_hash)
    select 'owner' || g || '@bench.test', 'Owner ' || g,
           (array[${sql.raw(roles.map((r) => `'${r}'`).join(','))}])[1 + g % ${roles.length}]::role, 'x'
    from generate_series(0, ${options.owners - 1}::int) g`);
  // Audience cycles private, everyone, agent_l1, agent_l2 (ranks 100, 0, 1, 2).
  await db.execute(sql`
    insert into documents (owner_id, title, filename, size_bytes, sha256, audience, audience_rank, status,
                           chunk_count, created_at, updated_at)
    select u.id, 'bench ' || g, 'bench-' || g || '.md', 1000, md5(g::text) || md5(g::text),
           (array['private', 'everyone', 'agent_l1', 'agent_l2'])[1 + (g * 7) % 4]::document_audience,
           (array[100, 0, 1, 2])[1 + (g * 7) % 4], 'ready', ${perDoc}, now(), now()
    from generate_series(0, ${docs - 1}::int) g
    join users u on u.email = 'owner' || (g % ${options.owners}) || '@bench.test'`);

  await db.execute(
    sql.raw(
      `create table bench_pool (i integer primary key, text text not null, tokens text not null${options.dims ? ', raw vector not null' : ''})`,
    ),
  );
  const pool = sentences(options.pool);
  for (let i = 0; i < pool.length; i += 500) {
    const values = pool.slice(i, i + 500).map((text, j) => {
      const tokens = searchTokens(text).join(' ');
      return options.dims
        ? sql`(${i + j}, ${text}, ${tokens}, ${vectorLiteral(embedText(text, options.dims))}::vector)`
        : sql`(${i + j}, ${text}, ${tokens})`;
    });
    await db.execute(sql`insert into bench_pool values ${sql.join(values, sql`, `)}`);
  }

  const p = options.pool;
  const step = 10_000;
  for (let from = 0; from < options.chunks; from += step) {
    const to = Math.min(options.chunks, from + step) - 1;
    const source = sql`
      select g, gen_random_uuid() as id, d.id as document_id, d.owner_id, d.audience_rank,
             abs(hashint4(g)) % ${p} as s1, abs(hashint4(g + 1000000000)) % ${p} as s2,
             abs(hashint4(g - 1000000000)) % ${p} as s3
      from generate_series(${from}::int, ${to}::int) g join documents d on d.title = 'bench ' || (g / ${perDoc})`;
    const chunkInsert = sql`
      insert into document_chunks (id, document_id, owner_id, audience_rank, ordinal, text, heading_path, page,
                                   char_start, char_end, token_count, content_sha256, search_vector)
      select s.id, s.document_id, s.owner_id, s.audience_rank, s.g % ${perDoc}, a.text || ' ' || b.text || ' ' || c.text,
             '[]'::jsonb, null, 0, length(a.text || ' ' || b.text || ' ' || c.text), 0, md5(s.g::text),
             to_tsvector('simple', a.tokens || ' ' || b.tokens || ' ' || c.tokens)
      from src s join bench_pool a on a.i = s.s1 join bench_pool b on b.i = s.s2 join bench_pool c on c.i = s.s3`;
    if (options.dims) {
      await db.execute(sql`
        with src as materialized (${source}), ins as (${chunkInsert})
        insert into chunk_embeddings (chunk_id, owner_id, audience_rank, model, dims, embedding)
        select s.id, s.owner_id, s.audience_rank, 'bench', ${options.dims}, a.raw + b.raw + c.raw
        from src s join bench_pool a on a.i = s.s1 join bench_pool b on b.i = s.s2 join bench_pool c on c.i = s.s3`);
    } else {
      await db.execute(sql`with src as materialized (${source}) ${chunkInsert}`);
    }
  }
  await db.execute(sql`drop table bench_pool`);
  await db.execute(sql`analyze`);
}

async function main() {
  const chunks = flag('chunks', 100_000);
  const owners = flag('owners', 200);
  const dimsWanted = flag('dims', 64);
  const poolSize = flag('pool', 20_000);
  const queryCount = flag('queries', 300);
  const startLoad = loadavg();
  const config = loadConfig();
  const database = await openTestDatabase(config.database);
  const { db } = database;
  const driver = database.driver === 'postgres' ? 'PostgreSQL' : 'PGlite in memory';
  try {
    const vectorTables = await hasVectorSearch(db);
    const dims = vectorTables ? dimsWanted : null;
    let started = performance.now();
    await populate(db, { chunks, owners, pool: poolSize, dims });
    const loadSeconds = (performance.now() - started) / 1000;
    let indexSeconds = 0;
    if (dims) {
      started = performance.now();
      await ensureVectorIndex(db, dims); // the real index, made once after the bulk load
      indexSeconds = (performance.now() - started) / 1000;
    }
    process.stdout.write(
      `${driver}: ${chunks} chunks, ${owners} owners, loaded in ${loadSeconds.toFixed(1)} s` +
        (dims ? `, HNSW (${dims} dims) built in ${indexSeconds.toFixed(1)} s\n` : ', no pgvector: full-text only\n'),
    );

    const embedder: Embedder = { model: 'bench', embed: async (texts) => texts.map((t) => embedText(t, dims ?? 64)) };
    const logger = createLogger('silent');
    const topK = config.retrieval.topK;
    const readers: Reader[] = (
      await queryRows<{ userId: string; role: Role }>(
        db,
        sql`select id as "userId", role from users where email like 'owner%@bench.test' order by email limit 60`,
      )
    ).map((r) => ({ userId: r.userId, role: r.role }));
    const asked = questions(queryCount + 40);

    /** The retriever's statements, verbatim, without `visibleTo`. */
    async function bare(question: string, withVectors: boolean) {
      const terms = contentTerms(question);
      const fullText = async () => {
        if (terms.length === 0) return [];
        const query = terms.map((t) => `'${t.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | ');
        return queryRows<{ chunkId: string; text: string }>(
          db,
          sql`select c.id as "chunkId", c.text
              from document_chunks c, to_tsquery('simple', ${query}) q
              where c.search_vector @@ q
              order by ts_rank_cd(c.search_vector, q) desc, c.id
              limit 40`,
        );
      };
      const vectors = async () => {
        if (!withVectors) return [];
        const [embedding] = await embedder.embed([question]);
        const q = vectorLiteral(embedding!);
        const cast = sql.raw(`::vector(${embedding!.length})`);
        const rows = await db.transaction(async (tx) => {
          await tx.execute(sql`set local hnsw.iterative_scan = strict_order`);
          await tx.execute(sql`set local hnsw.ef_search = ${sql.raw('80')}`);
          return queryRows<{ chunk_id: string; distance: number }>(
            tx,
            sql`select e.chunk_id, (e.embedding${cast} <=> ${q}${cast}) as distance
                from chunk_embeddings e
                where e.dims = ${embedding!.length} and e.model = ${embedder.model}
                order by e.embedding${cast} <=> ${q}${cast}
                limit 40`,
          );
        });
        return rows.filter((r) => 1 - Number(r.distance) >= 0.3).map((r) => r.chunk_id);
      };
      const [textHits, vectorHits] = await Promise.all([fullText(), vectors()]);
      const lexical = textHits.filter((h) => termCoverage(terms, h.text) >= 0.5).map((h) => h.chunkId);
      const fused = reciprocalRankFusion([lexical, vectorHits], (id) => id).slice(0, topK);
      if (fused.length === 0) return [];
      const ids: SQL = sql.join(
        fused.map((f) => sql`${f.item}`),
        sql`, `,
      );
      return queryRows(
        db,
        sql`select c.id as "chunkId", c.document_id as "documentId", d.title as "documentTitle",
                   c.heading_path as "headingPath", c.page, c.char_start as "charStart", c.char_end as "charEnd", c.text
            from document_chunks c join documents d on d.id = c.document_id
            where c.id in (${ids}) and d.status in ('ready', 'queued', 'parsing', 'chunking', 'embedding')`,
      );
    }

    const modes: { name: string; vector: boolean }[] = [{ name: 'full-text', vector: false }];
    if (dims) modes.push({ name: `hybrid (HNSW ${dims}d)`, vector: true });
    process.stdout.write(
      `${queryCount} questions per mode, measured and baseline interleaved (ms; passages returned on average)\n` +
        `  ${'mode'.padEnd(20)} ${'retriever p50'.padStart(13)} ${'p95'.padStart(7)}   ${'bare SQL p50'.padStart(12)} ${'p95'.padStart(7)}   ratio p50 / p95   passages filtered / bare\n`,
    );
    for (const mode of modes) {
      const retriever = createRetriever({
        db,
        logger,
        embedder: mode.vector ? embedder : null,
        vectorTables: mode.vector,
        topK,
      });
      if (retriever.mode.vector !== mode.vector) throw new Error(`retriever mode: ${JSON.stringify(retriever.mode)}`);
      const measured: number[] = [];
      const baseline: number[] = [];
      let filteredPassages = 0;
      let barePassages = 0;
      for (let i = 0; i < asked.length; i++) {
        const reader = readers[i % readers.length]!;
        const question = asked[i]!;
        const runMeasured = async () => {
          const t0 = performance.now();
          const found = await retriever.search(reader, question);
          return { ms: performance.now() - t0, n: found.length };
        };
        const runBare = async () => {
          const t0 = performance.now();
          const found = await bare(question, mode.vector);
          return { ms: performance.now() - t0, n: found.length };
        };
        // Alternate which goes first, so neither always meets a warmer cache or a quieter moment.
        let m: { ms: number; n: number };
        let b: { ms: number; n: number };
        if (i % 2 === 0) {
          m = await runMeasured();
          b = await runBare();
        } else {
          b = await runBare();
          m = await runMeasured();
        }
        if (i < 40) continue; // warm-up
        measured.push(m.ms);
        baseline.push(b.ms);
        filteredPassages += m.n;
        barePassages += b.n;
      }
      measured.sort((x, y) => x - y);
      baseline.sort((x, y) => x - y);
      const [m50, m95, b50, b95] = [
        percentile(measured, 50),
        percentile(measured, 95),
        percentile(baseline, 50),
        percentile(baseline, 95),
      ];
      const f = (x: number) => x.toFixed(1);
      process.stdout.write(
        `  ${mode.name.padEnd(20)} ${f(m50).padStart(13)} ${f(m95).padStart(7)}   ${f(b50).padStart(12)} ${f(b95).padStart(7)}` +
          `   ${(m50 / b50).toFixed(2).padStart(5)} / ${(m95 / b95).toFixed(2)}${m50 / b50 > 1.2 ? ' ✗ (goal ≤ 1.2)' : ''}` +
          `      ${(filteredPassages / measured.length).toFixed(1)} / ${(barePassages / baseline.length).toFixed(1)}\n`,
      );
    }
  } finally {
    await database.close();
  }
  process.stdout.write(
    `load average at start ${startLoad.map((x) => x.toFixed(1)).join(' ')}, at end ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}\n`,
  );
}

if (!helpRequested(help)) {
  await main();
  process.exit(0);
}
