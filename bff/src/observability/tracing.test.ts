import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chatResponseSchema } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../testing/browser.js';
import { type ScriptedLlm, startScriptedLlm } from '../testing/scripted-llm.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';
import { startTracing } from './tracing.js';

/** A span as OTLP/HTTP JSON carries it, attributes flattened to plain values. */
interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  service: unknown;
}

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type OtlpAttribute = { key: string; value: OtlpValue };
const plain = (v: OtlpValue) =>
  v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.boolValue ?? v.doubleValue));
const flatten = (attributes: OtlpAttribute[] = []) =>
  Object.fromEntries(attributes.map((a) => [a.key, plain(a.value)]));

/** The collector stand-in: a real HTTP server accepting OTLP/HTTP JSON at /v1/traces. */
async function startOtlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const contentTypes: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      contentTypes.push(String(req.headers['content-type']));
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const resourceSpans of body.resourceSpans ?? []) {
        const service = flatten(resourceSpans.resource?.attributes)['service.name'];
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            spans.push({
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId ?? '',
              name: span.name,
              kind: span.kind,
              attributes: flatten(span.attributes),
              service,
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    contentTypes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let tracing: ReturnType<typeof startTracing>;
let llm: ScriptedLlm;
let t: TestApp;
let user: Browser;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  tracing = startTracing({ otlpEndpoint: `${receiver.url}/`, serviceName: 'atrium-test' });
  llm = await startScriptedLlm();
  t = await createTestApp({ env: { OPENAI_BASE_URL: llm.url, ATRIUM_LLM_MAX_RETRIES: '0' } });
  await t.createUser({ email: 'traced@example.com' });
  user = new Browser(t);
  await user.signIn('traced@example.com', testPassword);
});
afterAll(async () => {
  await t.close();
  await llm.close();
  await receiver.close();
});

describe('a trace of one chat request', () => {
  it('continues the caller’s traceparent through the request, retrieval, the model calls and the tool call', async () => {
    const chat = chatResponseSchema.parse(
      await (await user.fetch('POST', '/api/chats', { body: { title: 'tr' } })).json(),
    ).chat;
    llm.enqueue(
      {
        steps: [{ toolCall: { name: 'list_my_tickets', arguments: '{}' } }, { usage: { prompt: 40, completion: 5 } }],
      },
      { steps: [{ text: 'You have no tickets.' }, { usage: { prompt: 60, completion: 6 } }] },
    );
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const requestId = `click-${randomUUID()}`;
    const response = await user.fetch('POST', `/api/chats/${chat.id}/messages`, {
      body: { content: 'What are my tickets?' },
      headers: {
        'Idempotency-Key': randomUUID(),
        traceparent: `00-${traceId}-${callerSpanId}-01`,
        'X-Request-Id': requestId,
      },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    await t.runtime.agent.idle();
    await tracing.shutdown();

    expect(receiver.contentTypes.every((type) => type.startsWith('application/json'))).toBe(true);
    const spans = receiver.spans.filter((span) => span.traceId === traceId);
    const byName = (name: string) => spans.filter((span) => span.name === name);
    const server = byName(`POST /api/chats/:id/messages`);
    expect(server).toHaveLength(1);
    expect(server[0]).toMatchObject({
      parentSpanId: callerSpanId,
      kind: 2, // SERVER
      service: 'atrium-test',
      attributes: {
        'http.request.method': 'POST',
        'http.route': '/api/chats/:id/messages',
        'http.response.status_code': 201,
        'atrium.request_id': requestId,
      },
    });

    const retrieval = byName('retrieval');
    const modelCalls = byName('chat gpt-4o-mini');
    const toolCalls = byName('execute_tool list_my_tickets');
    expect(retrieval).toHaveLength(1);
    expect(modelCalls).toHaveLength(2);
    expect(toolCalls).toHaveLength(1);
    expect(modelCalls.map((span) => span.attributes)).toEqual([
      expect.objectContaining({
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 40,
        'gen_ai.usage.output_tokens': 5,
      }),
      expect.objectContaining({ 'gen_ai.usage.input_tokens': 60, 'gen_ai.usage.output_tokens': 6 }),
    ]);
    expect(modelCalls.every((span) => span.kind === 3)).toBe(true); // CLIENT
    expect(toolCalls[0]!.attributes).toMatchObject({
      'gen_ai.tool.name': 'list_my_tickets',
      'atrium.tool.outcome': 'result',
    });

    // Every span of the answer descends from the request's span.
    const parentOf = new Map(spans.map((span) => [span.spanId, span.parentSpanId]));
    const descendsFromRequest = (span: ReceivedSpan) => {
      for (let at = span.parentSpanId; at; at = parentOf.get(at) ?? '') if (at === server[0]!.spanId) return true;
      return false;
    };
    for (const span of [...retrieval, ...modelCalls, ...toolCalls]) expect(descendsFromRequest(span)).toBe(true);

    // The request's log lines carry the same request id and trace id.
    const lines = t.logs.filter((line) => line.requestId === requestId);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.traceId === traceId)).toBe(true);
  });
});
