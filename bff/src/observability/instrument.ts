import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { LlmClient } from '../agent/llm-client.js';
import { costUsd } from '../agent/pricing.js';
import type { ModelPrice } from '../config.js';
import type { Retriever } from '../retrieval/search.js';
import type { ToolGate } from '../tools/tool.js';
import type { Metrics } from './metrics.js';
import { inSpan, tracer } from './tracing.js';

const seconds = (startedMs: number) => (performance.now() - startedMs) / 1000;

/**
 * The model port, observed: one `chat <model>` client span per streamed call (gen_ai semantic
 * conventions: `gen_ai.request.model`, `gen_ai.usage.input_tokens` / `output_tokens`) and, with
 * `metrics`, its latency, tokens and cost (at `prices`, USD per 1M tokens). The span ends with
 * the stream: last chunk, error, or the consumer stopping early.
 */
export function observeLlm(
  client: LlmClient,
  options: { metrics: Metrics | null; prices: Record<string, ModelPrice> },
): LlmClient {
  const { metrics, prices } = options;
  return {
    async *stream(request) {
      const span = tracer().startSpan(`chat ${request.model}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': request.model,
          'atrium.llm.tools_offered': request.tools?.length ?? 0,
        },
      });
      const started = performance.now();
      let outcome = 'ok';
      try {
        for await (const chunk of client.stream(request)) {
          if (chunk.type === 'usage') {
            span.setAttributes({
              'gen_ai.usage.input_tokens': chunk.promptTokens,
              'gen_ai.usage.output_tokens': chunk.completionTokens,
            });
            metrics?.llmTokens.inc({ model: request.model, type: 'prompt' }, chunk.promptTokens);
            metrics?.llmTokens.inc({ model: request.model, type: 'completion' }, chunk.completionTokens);
            const cost = costUsd(prices, request.model, chunk);
            if (cost !== null) metrics?.llmCost.inc({ model: request.model }, cost);
          }
          yield chunk;
        }
      } catch (error) {
        outcome = 'error';
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        metrics?.llmDuration.observe({ model: request.model, outcome }, seconds(started));
        span.end();
      }
    },
  };
}

/**
 * The tool gate, observed: one `execute_tool <name>` span per call (its outcome as
 * `atrium.tool.outcome`) and, with `metrics`, calls and latency by tool and outcome
 * (result, failed, drafted, refused; `failed` also when the gate itself throws).
 */
export function observeToolGate(gate: ToolGate, metrics: Metrics | null): ToolGate {
  return {
    toolsFor: (caller) => gate.toolsFor(caller),
    get: (name) => gate.get(name),
    call: (caller, name, args, origin, signal) =>
      inSpan(
        `execute_tool ${name}`,
        { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': name },
        async (span) => {
          const started = performance.now();
          let outcome = 'failed';
          try {
            const result = await gate.call(caller, name, args, origin, signal);
            outcome = result.kind;
            span.setAttribute('atrium.tool.outcome', outcome);
            if (result.kind === 'failed' || result.kind === 'refused') {
              span.setAttribute('error.type', result.code);
              if (result.kind === 'failed') span.setStatus({ code: SpanStatusCode.ERROR, message: result.message });
            }
            return result;
          } finally {
            metrics?.toolCalls.inc({ tool: name, outcome });
            metrics?.toolDuration.observe({ tool: name, outcome }, seconds(started));
          }
        },
      ),
  };
}

/**
 * The retriever, observed: one `retrieval` span per search (passages found as
 * `atrium.retrieval.passages`) and, with `metrics`, its latency and whether it found anything.
 */
export function observeRetriever(retriever: Retriever, metrics: Metrics | null): Retriever {
  return {
    get mode() {
      return retriever.mode;
    },
    withheld: (reader, question) => retriever.withheld(reader, question),
    search: (reader, question, options) => {
      const mode = retriever.mode.vector ? 'hybrid' : 'full_text';
      return inSpan('retrieval', { 'atrium.retrieval.mode': mode }, async (span) => {
        const started = performance.now();
        const passages = await retriever.search(reader, question, options);
        span.setAttribute('atrium.retrieval.passages', passages.length);
        metrics?.retrievalDuration.observe({ mode }, seconds(started));
        metrics?.retrievals.inc({ result: passages.length > 0 ? 'hit' : 'miss' });
        return passages;
      });
    },
  };
}
