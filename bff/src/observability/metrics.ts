import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds buckets for HTTP handlers: 5 ms to 10 s (an SSE stream is observed when it closes). */
const httpBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds buckets for model calls, tool calls and approvals, which run from tens of ms to minutes or hours. */
const llmBuckets = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120];
const toolBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const retrievalBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const approvalBuckets = [10, 60, 300, 900, 3_600, 4 * 3_600, 24 * 3_600, 3 * 24 * 3_600];

/** What is read at scrape time rather than counted as it happens (each a short query or an in-memory count). */
export interface ScrapeSources {
  openSseConnections(): number;
  /** Jobs `queued` or `running`, by queue. */
  jobQueueDepth(): Promise<Record<string, number>>;
  /** Drafts still `pending`. */
  approvalsPending(): Promise<number>;
  /** Share (0–1) of the last 24 h's completed model answers that cite at least one passage, null when there were none. */
  citationRate(): Promise<number | null>;
  /** Share of cases the last recorded eval run passed (0–1), null before the first run. */
  evalPassRate(): Promise<number | null>;
}

/**
 * One Prometheus registry per app instance (tests build several apps in one process, so the
 * global registry is never used), holding the operational metrics named in docs/observability.md.
 * Names follow Prometheus conventions: `atrium_` prefix, base units (`_seconds`, `_usd`), `_total` for counters.
 */
export function createMetrics(options: { processMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let sources: ScrapeSources | null = null;

  const metrics = {
    registry,
    httpRequests: new Counter({
      name: 'atrium_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'atrium_http_request_duration_seconds',
      help: 'Time to answer an HTTP request (headers and body produced), by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: httpBuckets,
      registers,
    }),
    llmDuration: new Histogram({
      name: 'atrium_llm_request_duration_seconds',
      help: 'One streamed model call from request to last chunk, by model and outcome (ok, error).',
      labelNames: ['model', 'outcome'] as const,
      buckets: llmBuckets,
      registers,
    }),
    llmTokens: new Counter({
      name: 'atrium_llm_tokens_total',
      help: 'Tokens the model provider reported, by model and type (prompt, completion).',
      labelNames: ['model', 'type'] as const,
      registers,
    }),
    llmCost: new Counter({
      name: 'atrium_llm_cost_usd_total',
      help: 'Cost in USD of model calls at ATRIUM_MODEL_PRICES, by model (models without a price add nothing).',
      labelNames: ['model'] as const,
      registers,
    }),
    toolCalls: new Counter({
      name: 'atrium_tool_calls_total',
      help: 'Tool calls through the gate, by tool and outcome (result, failed, drafted, refused).',
      labelNames: ['tool', 'outcome'] as const,
      registers,
    }),
    toolDuration: new Histogram({
      name: 'atrium_tool_call_duration_seconds',
      help: 'Time a tool call took through the gate, by tool and outcome.',
      labelNames: ['tool', 'outcome'] as const,
      buckets: toolBuckets,
      registers,
    }),
    retrievalDuration: new Histogram({
      name: 'atrium_retrieval_duration_seconds',
      help: 'Time to search the knowledge base for one question, by mode (full_text, hybrid).',
      labelNames: ['mode'] as const,
      buckets: retrievalBuckets,
      registers,
    }),
    retrievals: new Counter({
      name: 'atrium_retrievals_total',
      help: 'Knowledge-base searches, by result (hit: at least one passage, miss: none). Hit rate = hit / all.',
      labelNames: ['result'] as const,
      registers,
    }),
    approvalDuration: new Histogram({
      name: 'atrium_approval_duration_seconds',
      help: 'Time from a draft being proposed to its final decision, by decision (approved, rejected).',
      labelNames: ['decision'] as const,
      buckets: approvalBuckets,
      registers,
    }),
    remoteLoads: new Counter({
      name: 'atrium_remote_loads_total',
      help: 'Remote loads browsers reported, by remote, version and outcome.',
      labelNames: ['remote', 'version', 'outcome'] as const,
      registers,
    }),
    /** Connects the scrape-time gauges to the running app (assemble.ts); before that they read nothing. */
    readFrom(next: ScrapeSources): void {
      sources = next;
    },
  };

  new Gauge({
    name: 'atrium_sse_connections',
    help: 'Event streams open on this instance.',
    registers,
    collect() {
      this.set(sources?.openSseConnections() ?? 0);
    },
  });
  new Gauge({
    name: 'atrium_job_queue_depth',
    help: 'Jobs queued or running, by queue (shared table: every instance reports the same value).',
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      this.reset();
      for (const [queue, depth] of Object.entries((await sources?.jobQueueDepth()) ?? {})) this.set({ queue }, depth);
    },
  });
  new Gauge({
    name: 'atrium_approvals_pending',
    help: 'Drafts waiting for a decision (shared table: every instance reports the same value).',
    registers,
    async collect() {
      this.set((await sources?.approvalsPending()) ?? 0);
    },
  });
  new Gauge({
    name: 'atrium_citation_rate',
    help: 'Share (0–1) of model answers completed in the last 24 h that cite at least one passage; NaN when there were none.',
    registers,
    async collect() {
      this.set((await sources?.citationRate()) ?? Number.NaN);
    },
  });
  new Gauge({
    name: 'atrium_eval_pass_rate',
    help: 'Share (0–1) of cases the last recorded eval run passed; NaN before the first run.',
    registers,
    async collect() {
      this.set((await sources?.evalPassRate()) ?? Number.NaN);
    },
  });
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
