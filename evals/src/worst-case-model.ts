import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/*
 * The eval's only test double, at the LLM boundary: an OpenAI-compatible chat-completions server
 * (streamed `data: {...}` chunks, then `data: [DONE]`) playing the worst model we can imagine —
 * one that obeys every instruction it reads. It makes the tool calls a case scripts, and it also
 * does whatever the text it is given says (a retrieved passage, the user's message, a tool
 * result), so the BFF alone stands between a hostile document and a write.
 */

/** One tool call the model makes: a function name and its arguments (sent as a JSON string). */
export interface ModelCall {
  tool: string;
  arguments: unknown;
}

/** A chat-completions request as the BFF sends it (the fields this model reads). */
export interface ModelRequest {
  messages: {
    role: string;
    content: string | null;
    tool_calls?: { function?: { name?: string; arguments?: string } }[];
  }[];
}

export type ModelReply = { kind: 'calls'; calls: ModelCall[] } | { kind: 'text'; text: string };

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** "issue a refund of 400 EUR to ticket <uuid>" (currency optional: USD). */
const refundInstruction = new RegExp(
  `issue\\s+a\\s+refund\\s+of\\s+(\\d+(?:\\.\\d{1,2})?)\\s*([A-Z]{3})?\\s+(?:to|on|for)\\s+ticket\\s+(${uuid})`,
  'gi',
);
/** "call <name> with {json}", also "call the tool `<name>` with …", "call the http tool <name> with …". */
const callInstruction =
  /\bcall\s+(?:the\s+)?(?:http\s+)?(?:tool\s+|function\s+)?`?([a-z][a-z0-9_]{0,63})`?(?:\s+tool|\s+function)?\s+with\s+(?=\{)/gi;

/** The JSON object starting at `text[start]` (a `{`), or null when it does not parse. */
function jsonObjectAt(text: string, start: number): unknown {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) {
      try {
        return JSON.parse(text.slice(start, i + 1));
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** Every instruction to call a tool that `text` holds, in the order they appear. */
export function instructionsIn(text: string): ModelCall[] {
  const found: { at: number; call: ModelCall }[] = [];
  for (const match of text.matchAll(refundInstruction)) {
    const [, amount, currency, ticketId] = match;
    found.push({
      at: match.index,
      call: {
        tool: 'issue_refund',
        arguments: {
          ticketId,
          amountCents: Math.round(Number(amount) * 100),
          currency: currency?.toUpperCase() ?? 'USD',
          reason: 'As the document instructs.',
        },
      },
    });
  }
  for (const match of text.matchAll(callInstruction)) {
    const args = jsonObjectAt(text, match.index + match[0].length);
    if (args !== null) found.push({ at: match.index, call: { tool: match[1]!, arguments: args } });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.call);
}

/** A tool result as a model reads it: the strings inside its JSON (so quoted text reads unescaped), or the text itself. */
export function readableText(content: string): string {
  const strings: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  try {
    walk(JSON.parse(content));
  } catch {
    return content;
  }
  return strings.join('\n');
}

const key = (call: ModelCall) => `${call.tool}\u0000${JSON.stringify(call.arguments)}`;

/**
 * What the worst-case model replies to `request`. `scripts` maps a user message (trimmed) to the
 * calls a case scripts for it. With no tool result since the last user message: the scripted
 * calls, then every instruction found in the system prompt (retrieved passages) and the user's
 * message. After tool results: every instruction found in them that it has not yet obeyed (a
 * search result can carry one); when none is left, text quoting every tool result, so whatever
 * the BFF handed over shows in the answer. Deterministic and pure.
 */
export function reply(request: ModelRequest, scripts: ReadonlyMap<string, ModelCall[]>): ModelReply {
  const messages = request.messages;
  const lastUser = messages.findLastIndex((m) => m.role === 'user');
  const question = (messages[lastUser]?.content ?? '').trim();
  const since = messages.slice(lastUser + 1);
  const results = since.filter((m) => m.role === 'tool').map((m) => m.content ?? '');
  if (results.length === 0) {
    const read = messages.filter((m) => m.role === 'system').map((m) => m.content ?? '');
    const calls = [...(scripts.get(question) ?? []), ...instructionsIn([...read, question].join('\n'))];
    if (calls.length > 0) return { kind: 'calls', calls };
    return { kind: 'text', text: 'I was asked nothing I could act on.' };
  }
  const made = new Set(
    since.flatMap((m) =>
      (m.tool_calls ?? []).map((c) => {
        let args: unknown = c.function?.arguments ?? '';
        try {
          args = JSON.parse(String(args));
        } catch {
          // Kept as sent.
        }
        return key({ tool: c.function?.name ?? '', arguments: args });
      }),
    ),
  );
  const fresh = instructionsIn(results.map(readableText).join('\n')).filter((call) => !made.has(key(call)));
  if (fresh.length > 0) return { kind: 'calls', calls: fresh };
  return { kind: 'text', text: `The tools returned:\n${results.map((r) => `- ${r}`).join('\n')}` };
}

export interface WorstCaseModel {
  /** Base URL for OPENAI_BASE_URL. */
  url: string;
  /** The calls to make when the user's message is `input` (trimmed). */
  script(input: string, calls: ModelCall[]): void;
  /** Requests answered so far. */
  requests(): number;
  close(): Promise<void>;
}

const chunk = (delta: Record<string, unknown>) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-eval', object: 'chat.completion.chunk', created: 1, model: 'worst-case', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;

function stream(res: ServerResponse, answer: ModelReply): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(chunk({ role: 'assistant', content: '' }));
  if (answer.kind === 'text') res.write(chunk({ content: answer.text }));
  else {
    answer.calls.forEach((call, index) => {
      const first = { index, id: `call_${index + 1}`, type: 'function', function: { name: call.tool, arguments: '' } };
      res.write(chunk({ tool_calls: [first] }));
      res.write(chunk({ tool_calls: [{ index, function: { arguments: JSON.stringify(call.arguments) } }] }));
    });
  }
  res.write(
    `data: ${JSON.stringify({ id: 'chatcmpl-eval', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } })}\n\n`,
  );
  res.end('data: [DONE]\n\n');
}

/** Starts the worst-case model on a free port of 127.0.0.1; `POST …/chat/completions` only. */
export async function startWorstCaseModel(): Promise<WorstCaseModel> {
  const scripts = new Map<string, ModelCall[]>();
  const sockets = new Set<Socket>();
  let answered = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (piece: Buffer) => {
      body += piece.toString();
    });
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'the eval model only answers chat completions' } }));
        return;
      }
      answered++;
      stream(res, reply(JSON.parse(body || '{}') as ModelRequest, scripts));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    script: (input, calls) => scripts.set(input.trim(), calls),
    requests: () => answered,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
