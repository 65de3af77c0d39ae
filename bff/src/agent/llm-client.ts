import OpenAI from 'openai';
import type { LlmConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { toStorableText } from '../storable-text.js';

/** A complete tool call as the model made it; `arguments` is the raw JSON text, unparsed (it may be malformed). */
export interface LlmToolCall {
  id: string;
  name: string;
  arguments: string;
}

export type LlmTurn =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: LlmToolCall[] }
  /** A tool call's result, quoted as data for the model (never instructions). */
  | { role: 'tool'; toolCallId: string; content: string };

/** A function the model may call: OpenAI function calling, `parameters` a JSON Schema object. */
export interface LlmTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface LlmRequest {
  model: string;
  messages: LlmTurn[];
  /** Offered functions; empty or absent: the model is offered none. */
  tools?: LlmTool[];
  signal: AbortSignal;
}

/** What the generator port yields: text as it streams, each tool call once complete, and usage. */
export type LlmChunk =
  | { type: 'text'; text: string }
  | { type: 'tool_call'; id: string; name: string; arguments: string }
  | { type: 'usage'; promptTokens: number; completionTokens: number };

/** One streamed piece of a tool call: OpenAI sends the id and name once, then the arguments in pieces, keyed by `index`. */
export type ToolCallFragment = {
  type: 'tool_call_fragment';
  index: number;
  id: string | null;
  name: string | null;
  arguments: string;
};

/** The port the agent streams through; the only implementation speaks the OpenAI chat-completions protocol. */
export interface LlmClient {
  stream(request: LlmRequest): AsyncIterable<LlmChunk>;
}

export type LlmErrorKind = 'rate_limited' | 'provider' | 'timeout' | 'network' | 'malformed' | 'rejected';

export class LlmError extends Error {
  override name = 'LlmError';
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.kind !== 'rejected' && this.kind !== 'malformed';
  }
}

function retryAfterMs(headers: Headers | undefined): number | null {
  const value = headers?.get('retry-after');
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/** Maps whatever the SDK throws onto the few cases the agent treats differently. */
export function toLlmError(error: unknown): LlmError {
  if (error instanceof LlmError) return error;
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new LlmError('timeout', error.message);
  if (error instanceof OpenAI.APIConnectionError) return new LlmError('network', error.message);
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
    if (error.status === 429) {
      return new LlmError('rate_limited', error.message, 429, retryAfterMs(error.headers));
    }
    if (error.status >= 500) return new LlmError('provider', error.message, error.status, retryAfterMs(error.headers));
    return new LlmError('rejected', error.message, error.status);
  }
  if (error instanceof OpenAI.APIError) return new LlmError('provider', error.message);
  if (error instanceof SyntaxError) return new LlmError('malformed', error.message);
  return new LlmError('network', error instanceof Error ? error.message : String(error));
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Reads one streamed chunk defensively: a provider that drifts from the schema yields nothing rather than a crash. */
export function* readChunk(chunk: unknown): Generator<Exclude<LlmChunk, { type: 'tool_call' }> | ToolCallFragment> {
  if (!isRecord(chunk)) return;
  const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
  const delta = isRecord(choices[0]) && isRecord(choices[0].delta) ? choices[0].delta : null;
  // The answer is stored as it streams: a U+0000 or half an emoji from the model must not fail it.
  if (delta && typeof delta.content === 'string' && delta.content.length > 0)
    yield { type: 'text', text: toStorableText(delta.content) };
  if (delta && Array.isArray(delta.tool_calls)) {
    for (const [position, call] of delta.tool_calls.entries()) {
      if (!isRecord(call)) continue;
      const fn = isRecord(call.function) ? call.function : null;
      yield {
        type: 'tool_call_fragment',
        index: typeof call.index === 'number' ? call.index : position,
        id: typeof call.id === 'string' && call.id !== '' ? call.id : null,
        name: fn && typeof fn.name === 'string' && fn.name !== '' ? fn.name : null,
        arguments: fn && typeof fn.arguments === 'string' ? fn.arguments : '',
      };
    }
  }
  const usage = isRecord(chunk.usage) ? chunk.usage : null;
  if (usage && typeof usage.prompt_tokens === 'number' && typeof usage.completion_tokens === 'number') {
    yield { type: 'usage', promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
  }
}

/**
 * Assembles streamed tool-call fragments into complete calls, by `index`: the first id and name
 * seen for an index are kept, argument pieces are concatenated. Calls come out in index order;
 * one without a name is dropped (nothing to call); one without an id gets `call_<index>`.
 */
export function assembleToolCalls(fragments: readonly ToolCallFragment[]): LlmToolCall[] {
  const calls = new Map<number, { id: string | null; name: string | null; arguments: string }>();
  for (const f of fragments) {
    const call = calls.get(f.index) ?? { id: null, name: null, arguments: '' };
    call.id ??= f.id;
    call.name ??= f.name;
    call.arguments += f.arguments;
    calls.set(f.index, call);
  }
  return [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([index, call]) =>
      call.name ? [{ id: call.id ?? `call_${index}`, name: call.name, arguments: call.arguments }] : [],
    );
}

/** Our turns in the OpenAI chat-completions shape. */
function toOpenAiMessages(turns: readonly LlmTurn[]): OpenAI.Chat.Completions.ChatCompletionMessageParam[] {
  return turns.map((turn) => {
    if (turn.role === 'tool') return { role: 'tool', tool_call_id: turn.toolCallId, content: turn.content };
    if (turn.role === 'assistant' && turn.toolCalls?.length) {
      return {
        role: 'assistant',
        content: turn.content === '' ? null : turn.content,
        tool_calls: turn.toolCalls.map((call) => ({
          id: call.id,
          type: 'function' as const,
          function: { name: call.name, arguments: call.arguments },
        })),
      };
    }
    return { role: turn.role, content: turn.content };
  });
}

export function createOpenAiClient(config: LlmConfig, logger: Logger): LlmClient {
  const client = new OpenAI({
    baseURL: config.baseUrl ?? undefined,
    // A local OpenAI-compatible server often needs no key, but the SDK insists on one.
    apiKey: config.apiKey ?? 'not-needed',
    timeout: config.timeoutMs,
    maxRetries: 0,
    logLevel: 'off',
  });
  return {
    async *stream(request) {
      let stream: AsyncIterable<unknown>;
      try {
        const tools = request.tools?.length
          ? request.tools.map((tool) => ({ type: 'function' as const, function: tool }))
          : undefined;
        stream = await client.chat.completions.create(
          {
            model: request.model,
            messages: toOpenAiMessages(request.messages),
            ...(tools ? { tools } : {}),
            stream: true,
            stream_options: { include_usage: true },
          },
          { signal: request.signal },
        );
      } catch (error) {
        if (request.signal.aborted) return;
        throw toLlmError(error);
      }
      const fragments: ToolCallFragment[] = [];
      try {
        for await (const chunk of stream) {
          for (const piece of readChunk(chunk)) {
            if (piece.type === 'tool_call_fragment') fragments.push(piece);
            else yield piece;
          }
        }
      } catch (error) {
        if (request.signal.aborted) return;
        logger.debug('llm stream broke', { error: (error as Error).message });
        throw toLlmError(error);
      }
      // A call is complete only when the stream is: its arguments may arrive in the last chunk.
      for (const call of assembleToolCalls(fragments)) yield { type: 'tool_call', ...call };
    },
  };
}
