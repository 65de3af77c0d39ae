import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import type { AppEnv } from '../env.js';
import { extractContext, tracer } from '../observability/tracing.js';

/**
 * One server span and one metrics observation per request. The span continues the caller's
 * `traceparent` (W3C) and carries the request id; every log line of the request gets the trace
 * id. Labels use Hono's matched route pattern (`/api/chats/:id`), never the raw path, so a
 * scanner cannot grow the series without bound. Ours rather than `@hono/otel` because the
 * request id, the logger and the metrics share this one place. After `next()` the context's
 * route index points at the handler that answered, so `routePath(c)` is its pattern.
 */
export const observeRequest = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const { metrics } = c.get('deps');
    const method = c.req.method;
    const started = performance.now();
    const span = tracer().startSpan(
      method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': method,
          'url.path': c.req.path,
          'atrium.request_id': c.get('requestId'),
        },
      },
      extractContext(c.req.raw.headers),
    );
    const { traceId, spanId } = span.spanContext();
    if (trace.isSpanContextValid(span.spanContext())) c.set('logger', c.get('logger').child({ traceId, spanId }));
    try {
      await context.with(trace.setSpan(context.active(), span), next);
    } finally {
      const route = routePath(c);
      const status = String(c.res.status);
      span.updateName(`${method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': c.res.status });
      if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      const labels = { method, route, status };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, (performance.now() - started) / 1000);
    }
  });
