import { createAgentTools } from './agent-tools.js';
import { createApp } from './app.js';
import { createMemorySignInLimits, createSharedSignInLimits, type SignInLimits } from './auth/sign-in-limits.js';
import { type ChatRuntime, type ChatRuntimeOptions, createChatRuntime } from './chat-runtime.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/index.js';
import type { Drafts } from './drafts/runtime.js';
import { createCachedEntitlements } from './entitlements/cached-entitlements.js';
import type { Entitlements } from './entitlements/entitlements.js';
import { createFeatureFlags } from './flags/feature-flags.js';
import { flaggedToolGate } from './flags/flagged-tool-gate.js';
import { createIngestion, type Ingestion } from './ingestion/runtime.js';
import type { Logger } from './logger.js';
import { createRequestRollup, type RequestRollup } from './middleware/request-rollup.js';
import { observeRetriever, observeToolGate } from './observability/instrument.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { scrapeSources } from './observability/scrape-sources.js';
import type { Fetch } from './registry/external-origin.js';
import { createRegistry, type Registry, type ReleaseChangedEvent } from './registry/registry.js';
import { invalidateOnReleaseChange } from './registry/release-broadcast.js';
import { seedLocalBuilds } from './registry/seed-local-builds.js';
import type { Embedder } from './retrieval/embeddings.js';
import { createKnowledgeBase, type KnowledgeBase } from './retrieval/knowledge-base.js';
import type { OutboundPolicy } from './tools/outbound-guard.js';
import type { Tools } from './tools/runtime.js';
import type { ToolGate, ToolSource } from './tools/tool.js';

export interface Assembled {
  app: ReturnType<typeof createApp>;
  runtime: ChatRuntime;
  registry: Registry;
  /** The document store, job queue and ingestion worker (running here when `ATRIUM_WORKER=inline`). */
  ingestion: Ingestion;
  /** The retriever answers use and the embedding port ingestion uses. */
  knowledge: KnowledgeBase;
  /** The draft proposer (for the tool gate) and the drafts' job handlers, run by the ingestion worker. */
  drafts: Drafts;
  /** The agent's tool registry and gate. */
  tools: Tools;
  /** Request counts and latency batched for `request_rollups`. */
  requestRollup: RequestRollup;
  /** Flushes the request rollup; stops watching local builds, the ingestion worker, the chat runtime and the sign-in limiter's connection. */
  close(): Promise<void>;
}

/**
 * The composition root: chat runtime, registry and app wired the one way both the server
 * (main.ts) and the tests use, so a test exercises exactly what production runs.
 */
export async function assemble(options: {
  config: Config;
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Test seams at boundaries we don't own: the LLM client, a shared bus, outbound fetch. */
  chat?: Pick<ChatRuntimeOptions, 'llm' | 'bus' | 'agent' | 'sse'>;
  fetch?: Fetch;
  /** The embeddings provider (a scripted `/embeddings` server in tests); null: none, whatever config says. */
  embedder?: Embedder | null;
  /** Tests keep sign-in failure counts to themselves (Redis would share them across test files). */
  signInLimits?: SignInLimits;
  onReleaseChanged?: (event: ReleaseChangedEvent) => void;
  /** This instance's metrics (tests pass one to read it directly); absent: a fresh registry with process metrics. */
  metrics?: Metrics;
  /** Tools besides the built-ins, HTTP and MCP ones (tests add their own through the real gate). */
  toolSources?: readonly ToolSource[];
  /** Tests exempt the address of a server they started from the outbound guard; production passes nothing. */
  outbound?: Partial<OutboundPolicy>;
  /** Tests grant or revoke paid features with a fake entitlement store. */
  entitlements?: Entitlements;
  /** How often the request rollup is flushed (ms); 0: only by hand and on close (tests). */
  rollupFlushMs?: number;
}): Promise<Assembled> {
  const { config, db, clock, logger } = options;
  const metrics = options.metrics ?? createMetrics();
  const unobserved = await createKnowledgeBase({
    config,
    db,
    logger,
    ...(options.embedder !== undefined ? { embedder: options.embedder } : {}),
  });
  const knowledge: KnowledgeBase = { ...unobserved, retriever: observeRetriever(unobserved.retriever, metrics) };
  // The agent calls tools through the gate, which is built after the runtime (drafts need its bus).
  const gate: { current: ToolGate | null } = { current: null };
  const lateGate: ToolGate = {
    toolsFor: (caller) => gate.current?.toolsFor(caller) ?? Promise.resolve([]),
    call: (caller, name, args, origin, signal) =>
      gate.current
        ? gate.current.call(caller, name, args, origin, signal)
        : Promise.resolve({ kind: 'refused', code: 'tool.unknown', message: `No tool named ${name}.` }),
    get: (name) => gate.current?.get(name) ?? Promise.resolve(null),
  };
  const runtime = createChatRuntime({
    config,
    db,
    clock,
    logger,
    retriever: knowledge.retriever,
    metrics,
    ...options.chat,
    agent: { tools: lateGate, ...options.chat?.agent },
  });
  const flags = createFeatureFlags({ db, bus: runtime.bus, clock, logger });
  const stopFollowingFlags = await flags.follow();
  let wakeWorker: () => void = () => undefined;
  const {
    tools: unobservedTools,
    drafts,
    jobHandlers,
  } = createAgentTools({
    config,
    db,
    bus: runtime.bus,
    clock,
    logger,
    retriever: knowledge.retriever,
    wakeWorker: () => wakeWorker(),
    resume: (ref, input) => runtime.agent.resume(ref, input),
    ...(options.toolSources ? { extraSources: options.toolSources } : {}),
    ...(options.outbound ? { outbound: options.outbound } : {}),
  });
  const tools: Tools = { ...unobservedTools, gate: observeToolGate(unobservedTools.gate, metrics) };
  // The agent's tools obey `agent.tools`; /mcp and the admin pages use the gate itself.
  gate.current = flaggedToolGate(tools.gate, flags);
  metrics.readFrom(scrapeSources({ db, clock, openSseConnections: () => runtime.sse.connectionCount() }));
  const ingestion = createIngestion({
    config,
    db,
    bus: runtime.bus,
    clock,
    logger,
    embed: knowledge.embedChunks,
    handlers: jobHandlers,
  });
  if (config.worker.mode === 'inline') wakeWorker = () => ingestion.worker.wake();
  const registry = createRegistry({
    db,
    bus: runtime.bus,
    clock,
    logger,
    config: config.registry,
    ...(options.onReleaseChanged ? { onReleaseChanged: options.onReleaseChanged } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  await invalidateOnReleaseChange(runtime.bus, registry.resolver);
  const mode = config.registry.seedLocalRemotes;
  const stopSeeding = mode === 'off' ? () => undefined : await seedLocalBuilds(registry, mode, config.staticDir);
  const signInLimits =
    options.signInLimits ??
    (config.redisUrl
      ? createSharedSignInLimits(config.signInLimits, { redisUrl: config.redisUrl, clock, logger })
      : createMemorySignInLimits(config.signInLimits, clock));
  const entitlements = await createCachedEntitlements({ db, bus: runtime.bus, clock });
  const requestRollup = createRequestRollup({
    db,
    clock,
    logger,
    ...(options.rollupFlushMs !== undefined ? { flushMs: options.rollupFlushMs } : {}),
  });
  const app = createApp({
    config,
    db,
    clock,
    logger,
    signInLimits,
    bus: runtime.bus,
    sse: runtime.sse,
    agent: runtime.agent,
    resolveRemoteMap: registry.resolver.resolve,
    registry,
    ingestion,
    retriever: knowledge.retriever,
    tools,
    drafts,
    entitlements: options.entitlements ?? entitlements,
    flags,
    metrics,
    requestRollup,
  });
  if (config.worker.mode === 'inline') ingestion.worker.start();
  else if (config.database.driver === 'pglite') {
    // The embedded database belongs to this process: no separate worker can open it.
    logger.warn('ATRIUM_WORKER=off with the embedded database: no process will ingest documents');
  }
  return {
    app,
    runtime,
    registry,
    ingestion,
    knowledge,
    drafts,
    tools,
    requestRollup,
    close: async () => {
      await requestRollup.close();
      stopSeeding();
      entitlements.close();
      stopFollowingFlags();
      await ingestion.close();
      await runtime.close();
      await signInLimits.close();
    },
  };
}
