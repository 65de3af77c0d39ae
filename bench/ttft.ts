import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import OpenAI from 'openai';
import type pgTypes from 'pg';
import { startScriptedLlm } from '../bff/src/testing/scripted-llm.js';
import { SseReader } from '../bff/src/testing/sse-reader.js';
import { flag, helpRequested, servedApp, summary } from './harness.js';

/** The BFF's own node-postgres (the bench has no dependency of its own on it), to count its queries. */
const pg = createRequire(new URL('../bff/package.json', import.meta.url))('pg') as typeof pgTypes;

if (
  !helpRequested(`
ttft — BFF overhead on time to first token (loopback only).
  Baseline: the openai SDK straight against the scripted LLM server, time to the first content chunk.
  Through the BFF: POST /api/chats/:id/messages, time until the first message.delta on /api/events.
  The scripted model keeps streaming after its first token (four more, 20 ms apart), as a real one
  does, so delta batching shows in the figure. Overhead = BFF figure − baseline figure, per
  percentile; ratio = BFF p50 / baseline p50. Runs on in-memory PGlite, then on PostgreSQL when
  DATABASE_URL is set (the test app makes a scratch database on that server and drops it).
  --requests N   requests per side and driver (default 200)
  --trace        also list every PostgreSQL query from the POST to the first delta (one request)
  --driver D     pglite | postgres | both (default: both when DATABASE_URL is set, else pglite)
`)
) {
  const requests = flag('requests', 200);
  const trace = process.argv.includes('--trace');
  const driverIndex = process.argv.indexOf('--driver');
  const databaseUrl = process.env.DATABASE_URL;
  const driverFlag = driverIndex >= 0 ? process.argv[driverIndex + 1] : databaseUrl ? 'both' : 'pglite';
  if (driverFlag !== 'pglite' && !databaseUrl) throw new Error('--driver postgres needs DATABASE_URL');
  const drivers = driverFlag === 'both' ? ['pglite', 'postgres'] : [driverFlag!];
  const startLoad = loadavg();

  const llm = await startScriptedLlm({
    steps: [
      { text: 'first' },
      ...[' second', ' third', ' fourth', ' fifth'].map((text) => ({ text, delayMs: 20 })),
      { usage: { prompt: 3, completion: 5 } },
    ],
  });

  async function direct(): Promise<number[]> {
    const samples: number[] = [];
    const client = new OpenAI({ baseURL: llm.url, apiKey: 'x', maxRetries: 0 });
    for (let i = 0; i < requests; i++) {
      const started = performance.now();
      const stream = await client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      });
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta?.content) {
          samples.push(performance.now() - started);
          break;
        }
      }
    }
    return samples;
  }

  /** Every query node-postgres sends while `record` is on, in order (for --trace). */
  const queries: string[] = [];
  let record = false;
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pgTypes.Client, ...args: unknown[]) {
    if (record) {
      const first = args[0] as string | { text?: string; name?: string };
      const text = typeof first === 'string' ? first : (first?.text ?? `(prepared ${first?.name})`);
      queries.push(text.replace(/\s+/g, ' ').slice(0, 160));
    }
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;

  async function viaBff(driver: string): Promise<number[]> {
    if (driver === 'pglite') delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = databaseUrl;
    const app = await servedApp({ env: { OPENAI_BASE_URL: llm.url } });
    const reader = new SseReader((await app.browser.fetch('GET', '/api/events')).body!);
    await reader.untilComment('live');
    const chatId = await app.newChat();
    await reader.nextEvent();
    const samples: number[] = [];
    const total = requests + (trace && driver === 'postgres' ? 1 : 0);
    for (let i = 0; i < total; i++) {
      const traced = i === requests;
      const started = performance.now();
      record = traced;
      // A keep-alive socket the server closed meanwhile (seen on a loaded machine) fails the
      // fetch: sent again with the same key, which the BFF answers once.
      for (let attempt = 0; ; attempt++) {
        try {
          await app.browser.fetch('POST', `/api/chats/${chatId}/messages`, {
            body: { content: 'hi' },
            headers: { 'Idempotency-Key': `b${i}` },
          });
          break;
        } catch (error) {
          if (attempt >= 2) throw error;
        }
      }
      await reader.until((e) => e.type === 'message.delta');
      record = false;
      if (!traced) samples.push(performance.now() - started);
      await reader.until((e) => e.type === 'message.updated');
    }
    await reader.close();
    await app.close();
    return samples;
  }

  const fmt = (x: number) => x.toFixed(1);
  const d = summary(await direct());
  process.stdout.write(
    `ttft over ${requests} requests (ms); load average at start ${startLoad.map(fmt).join(' ')}\n` +
      `  baseline (SDK → scripted server)  p50 ${fmt(d.p50)}  p99 ${fmt(d.p99)}\n`,
  );
  for (const driver of drivers) {
    const b = summary(await viaBff(driver));
    process.stdout.write(
      `  ${driver.padEnd(10)} via BFF   p50 ${fmt(b.p50)}  p99 ${fmt(b.p99)}` +
        `   overhead p50 +${fmt(b.p50 - d.p50)}  p99 +${fmt(b.p99 - d.p99)}` +
        `   ratio p50 ${(b.p50 / d.p50).toFixed(2)}×  p99 ${(b.p99 / d.p99).toFixed(2)}×\n`,
    );
  }
  if (trace && queries.length > 0) {
    process.stdout.write(`\nqueries from the POST to the first message.delta (PostgreSQL): ${queries.length}\n`);
    queries.forEach((q, n) => {
      process.stdout.write(`  ${String(n + 1).padStart(2)}. ${q}\n`);
    });
  }
  await llm.close();
  process.stdout.write(`load average at end ${loadavg().map(fmt).join(' ')}\n`);
  process.exit(0);
}
