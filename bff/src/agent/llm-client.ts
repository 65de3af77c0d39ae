import OpenAI from 'openai';
import type { LlmConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { toStorableText } from '../storable-text.js';

export interface LlmTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmRequest {
  model: string;
  messages: LlmTurn[];
  signal: AbortSignal;
}

export type LlmChunk =
  | { type: 'text'; text: string }
  | { type: 'tool_call'; name: string | null }
  | { type: 'usage'; promptTokens: number; completionTokens: number };

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
export function* readChunk(chunk: unknown): Generator<LlmChunk> {
  if (!isRecord(chunk)) return;
  const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
  const delta = isRecord(choices[0]) && isRecord(choices[0].delta) ? choices[0].delta : null;
  // The answer is stored as it streams: a U+0000 or half an emoji from the model must not fail it.
  if (delta && typeof delta.content === 'string' && delta.content.length > 0)
    yield { type: 'text', text: toStorableText(delta.content) };
  if (delta && Array.isArray(delta.tool_calls)) {
    for (const call of delta.tool_calls) {
      const fn = isRecord(call) && isRecord(call.function) ? call.function : null;
      yield { type: 'tool_call', name: fn && typeof fn.name === 'string' ? fn.name : null };
    }
  }
  const usage = isRecord(chunk.usage) ? chunk.usage : null;
  if (usage && typeof usage.prompt_tokens === 'number' && typeof usage.completion_tokens === 'number') {
    yield { type: 'usage', promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
  }
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
        stream = await client.chat.completions.create(
          { model: request.model, messages: request.messages, stream: true, stream_options: { include_usage: true } },
          { signal: request.signal },
        );
      } catch (error) {
        if (request.signal.aborted) return;
        throw toLlmError(error);
      }
      try {
        for await (const chunk of stream) yield* readChunk(chunk);
      } catch (error) {
        if (request.signal.aborted) return;
        logger.debug('llm stream broke', { error: (error as Error).message });
        throw toLlmError(error);
      }
    },
  };
}
