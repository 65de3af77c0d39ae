import {
  type Attributes,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * Every span of the BFF and worker comes from this tracer. Until `startTracing` registers a
 * provider it is OpenTelemetry's no-op tracer: spans cost nothing and go nowhere.
 */
export const tracer = () => trace.getTracer('atrium-bff');

export interface TracingConfig {
  /** `OTEL_EXPORTER_OTLP_ENDPOINT`: the collector's base URL; spans are posted to `<it>/v1/traces` (OTLP/HTTP JSON). */
  otlpEndpoint: string;
  /** `OTEL_SERVICE_NAME`, default `atrium-bff` (the worker passes `atrium-worker`). */
  serviceName: string;
}

/**
 * Registers the global tracer provider (async-local-storage context, W3C `traceparent` and
 * baggage propagation) exporting in batches over OTLP/HTTP. Returns the flush-and-stop to call on shutdown.
 */
export function startTracing(config: TracingConfig): { shutdown(): Promise<void> } {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${config.otlpEndpoint.replace(/\/+$/, '')}/v1/traces` })),
    ],
  });
  provider.register();
  return { shutdown: () => provider.shutdown() };
}

/** The trace context a caller sent (`traceparent`, `tracestate`), or none. */
export function extractContext(headers: Headers) {
  return propagation.extract(ROOT_CONTEXT, headers, {
    keys: (carrier) => [...carrier.keys()],
    get: (carrier, key) => carrier.get(key) ?? undefined,
  });
}

/**
 * Runs `work` inside a new span, child of the active one: the span ends when `work` settles and
 * records a thrown error (status ERROR, exception event) before rethrowing it.
 */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

export { context, SpanKind, SpanStatusCode, trace };
