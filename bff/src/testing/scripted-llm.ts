import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Stands in for the LLM provider: a real HTTP server speaking the OpenAI chat-completions
 * streaming protocol (`data: {...}` chunks, then `data: [DONE]`), scripted per request.
 */
export type ScriptStep =
  | { text: string; delayMs?: number }
  /**
   * A piece of a tool call: the first piece of an `index` (default 0) carries the id and name, as
   * OpenAI streams them; later pieces of the same index add arguments only.
   */
  | { toolCall: { name: string; arguments: string; index?: number; id?: string } }
  | { malformed: string }
  | { usage: { prompt: number; completion: number } }
  /** Waits until `release(name)`; never released, it is a stall. */
  | { hold: string };

export type Script =
  | { status: 429; retryAfter?: string }
  | { status: 500 }
  | { steps: ScriptStep[] }
  /** A 200 whose body is exactly this: a reply that is not the streaming protocol, or noise. */
  | { raw: { contentType: string; body: string | Uint8Array } }
  /** Streams `text` every `everyMs` and never ends, until the client goes away. */
  | { endless: { text: string; everyMs: number } };

export interface ScriptedRequest {
  model: string;
  messages: { role: string; content: string | null; tool_call_id?: string; tool_calls?: unknown[] }[];
  /** The functions offered, as sent (absent when none). */
  tools: { type: 'function'; function: { name: string; description: string; parameters: unknown } }[] | undefined;
  stream: boolean;
  streamOptions: unknown;
}

/**
 * Answers a request by looking at it (its messages, the tools offered) rather than by its place
 * in a queue, so a caller need not know how many model calls the product makes. Returning
 * undefined leaves the request to `fallback`.
 */
export type Responder = (request: ScriptedRequest) => Script | undefined;

export interface ScriptedLlm {
  /** Base URL for OPENAI_BASE_URL. */
  url: string;
  requests: ScriptedRequest[];
  /** Queues scripts for the next requests, in order; with none queued, `respond` and then `fallback` answer. */
  enqueue(...scripts: Script[]): void;
  respond: Responder | null;
  fallback: Script;
  release(hold: string): void;
  /** Resolves when a request reaches the named hold. */
  reached(hold: string): Promise<void>;
  close(): Promise<void>;
}

export const textScript = (...pieces: string[]): Script => ({
  steps: [...pieces.map((text) => ({ text })), { usage: { prompt: 11, completion: pieces.length } }],
});

/** Streams `text` every `everyMs` forever: a provider that never ends its answer. */
export const endlessScript = (text: string, everyMs = 20): Script => ({ endless: { text, everyMs } });

/**
 * Replies with nothing to show, each as a provider really sends it: a stream with only `[DONE]`,
 * a non-streamed `chat.completion` JSON body, bytes that are no protocol at all, a stream with
 * only a tool call, and a stream of whitespace.
 */
export const emptyReplies = {
  onlyDone: { raw: { contentType: 'text/event-stream', body: 'data: [DONE]\n\n' } },
  jsonBody: {
    raw: {
      contentType: 'application/json',
      body: JSON.stringify({
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        model: 'scripted',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Not streamed.' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 11, completion_tokens: 2, total_tokens: 13 },
      }),
    },
  },
  binaryNoise: {
    raw: {
      contentType: 'application/octet-stream',
      body: Uint8Array.from({ length: 512 }, (_, i) => (i * 167 + 13) % 256),
    },
  },
  onlyToolCall: { steps: [{ toolCall: { name: 'lookup_order', arguments: '{"id":"42"}' } }] },
  whitespace: { steps: [{ text: ' ' }, { text: '\n\n' }] },
} satisfies Record<string, Script>;

export async function startScriptedLlm(
  fallback: Script = textScript('Hello', ' from', ' the', ' model.'),
  respond: Responder | null = null,
): Promise<ScriptedLlm> {
  const queue: Script[] = [];
  const requests: ScriptedRequest[] = [];
  const holds = new Map<
    string,
    { released: boolean; waiters: (() => void)[]; reached: (() => void)[]; hit: boolean }
  >();
  const sockets = new Set<Socket>();
  const hold = (name: string) => {
    let h = holds.get(name);
    if (!h) {
      h = { released: false, waiters: [], reached: [], hit: false };
      holds.set(name, h);
    }
    return h;
  };

  const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'scripted', choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;

  async function play(script: Script, res: ServerResponse): Promise<void> {
    if ('status' in script) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (script.status === 429 && script.retryAfter !== undefined) headers['retry-after'] = script.retryAfter;
      res.writeHead(script.status, headers);
      res.end(JSON.stringify({ error: { message: `scripted ${script.status}`, type: 'scripted' } }));
      return;
    }
    if ('raw' in script) {
      res.writeHead(200, { 'content-type': script.raw.contentType });
      res.end(script.raw.body);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(chunk({ role: 'assistant', content: '' }));
    if ('endless' in script) {
      let gone = false;
      res.once('close', () => {
        gone = true;
      });
      while (!gone) {
        res.write(chunk({ content: script.endless.text }));
        await new Promise((resolve) => setTimeout(resolve, script.endless.everyMs));
      }
      return;
    }
    const named = new Set<number>();
    for (const step of script.steps) {
      if ('text' in step) {
        if (step.delayMs) await new Promise((resolve) => setTimeout(resolve, step.delayMs));
        res.write(chunk({ content: step.text }));
      } else if ('toolCall' in step) {
        const index = step.toolCall.index ?? 0;
        const first = !named.has(index);
        named.add(index);
        res.write(
          chunk({
            tool_calls: [
              first
                ? {
                    index,
                    id: step.toolCall.id ?? `call_${index + 1}`,
                    type: 'function',
                    function: { name: step.toolCall.name, arguments: step.toolCall.arguments },
                  }
                : { index, function: { arguments: step.toolCall.arguments } },
            ],
          }),
        );
      } else if ('malformed' in step) {
        res.write(`data: ${step.malformed}\n\n`);
      } else if ('usage' in step) {
        res.write(
          `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: step.usage.prompt, completion_tokens: step.usage.completion, total_tokens: step.usage.prompt + step.usage.completion } })}\n\n`,
        );
      } else {
        const h = hold(step.hold);
        h.hit = true;
        for (const r of h.reached.splice(0)) r();
        if (!h.released) await new Promise<void>((resolve) => h.waiters.push(resolve));
      }
      if (res.destroyed) return;
    }
    res.write('data: [DONE]\n\n');
    res.end();
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (piece: Buffer) => {
      body += piece.toString();
    });
    req.on('end', () => {
      const parsed = JSON.parse(body || '{}') as Record<string, unknown>;
      const request: ScriptedRequest = {
        model: String(parsed.model),
        messages: (parsed.messages as ScriptedRequest['messages']) ?? [],
        tools: parsed.tools as ScriptedRequest['tools'],
        stream: parsed.stream === true,
        streamOptions: parsed.stream_options,
      };
      requests.push(request);
      let script: Script;
      try {
        script = queue.shift() ?? llm.respond?.(request) ?? llm.fallback;
      } catch {
        // A responder that throws is a provider error, not a crash of the test process.
        script = { status: 500 };
      }
      play(script, res).catch(() => res.destroy());
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const llm: ScriptedLlm = {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    respond,
    fallback,
    enqueue: (...scripts) => queue.push(...scripts),
    release(name) {
      const h = hold(name);
      h.released = true;
      for (const w of h.waiters.splice(0)) w();
    },
    reached(name) {
      const h = hold(name);
      return h.hit ? Promise.resolve() : new Promise((resolve) => h.reached.push(resolve));
    },
    async close() {
      for (const h of holds.values()) for (const w of h.waiters.splice(0)) w();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return llm;
}
