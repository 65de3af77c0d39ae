import OpenAI from 'openai';
import { startScriptedLlm } from '../bff/src/testing/scripted-llm.js';
import { SseReader } from '../bff/src/testing/sse-reader.js';
import { flag, helpRequested, servedApp, summary } from './harness.js';

if (
  !helpRequested(`
ttft — BFF overhead on time to first token (loopback only).
  Baseline: the openai SDK straight against the scripted LLM server, time to the first content chunk.
  Through the BFF: POST /api/chats/:id/messages, time until the first message.delta on /api/events.
  The scripted model keeps streaming after its first token (four more, 20 ms apart), as a real one
  does, so delta batching shows in the figure. PGlite in memory, or PostgreSQL with DATABASE_URL.
  --requests N   requests per side (default 200)
`)
) {
  const requests = flag('requests', 200);
  const llm = await startScriptedLlm({
    steps: [
      { text: 'first' },
      ...[' second', ' third', ' fourth', ' fifth'].map((text) => ({ text, delayMs: 20 })),
      { usage: { prompt: 3, completion: 5 } },
    ],
  });
  const direct: number[] = [];
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
        direct.push(performance.now() - started);
        break;
      }
    }
  }

  const app = await servedApp({ env: { OPENAI_BASE_URL: llm.url } });
  const reader = new SseReader((await app.browser.fetch('GET', '/api/events')).body!);
  await reader.untilComment('live');
  const chatId = await app.newChat();
  await reader.nextEvent();
  const through: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await app.browser.fetch('POST', `/api/chats/${chatId}/messages`, {
      body: { content: 'hi' },
      headers: { 'Idempotency-Key': `b${i}` },
    });
    await reader.until((e) => e.type === 'message.delta');
    through.push(performance.now() - started);
    await reader.until((e) => e.type === 'message.updated');
  }
  await reader.close();
  await app.close();
  await llm.close();

  const d = summary(direct);
  const b = summary(through);
  const fmt = (x: number) => x.toFixed(1);
  process.stdout.write(
    `ttft over ${requests} requests (ms)\n` +
      `  direct     p50 ${fmt(d.p50)}  p99 ${fmt(d.p99)}\n` +
      `  via BFF    p50 ${fmt(b.p50)}  p99 ${fmt(b.p99)}\n` +
      `  overhead   p50 ${fmt(b.p50 - d.p50)}  p99 ${fmt(b.p99 - d.p99)}  (ratio p50 ${(b.p50 / d.p50).toFixed(1)}×)\n`,
  );
  process.exit(0);
}
