import { createApp } from './app.js';
import { type ChatRuntime, type ChatRuntimeOptions, createChatRuntime } from './chat-runtime.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { type Database, hasVectorSearch } from './db/index.js';
import { createIngestion, type Ingestion } from './ingestion/runtime.js';
import type { Logger } from './logger.js';
import { createMemoryRateLimiter, type RateLimiter } from './middleware/rate-limit.js';
import { createRedisRateLimiter } from './middleware/redis-rate-limit.js';
import type { Fetch } from './registry/external-origin.js';
import { createRegistry, type Registry, type ReleaseChangedEvent } from './registry/registry.js';
import { broadcastReleaseChanges, invalidateOnReleaseChange } from './registry/release-broadcast.js';
import { seedLocalBuilds } from './registry/seed-local-builds.js';
import { createOpenAiEmbedder } from './retrieval/embeddings.js';
import { createRetriever, type Retriever } from './retrieval/search.js';

export interface Assembled {
  app: ReturnType<typeof createApp>;
  runtime: ChatRuntime;
  registry: Registry;
  /** The document store, job queue and ingestion worker (running here when `ATRIUM_WORKER=inline`). */
  ingestion: Ingestion;
  /** Searches passages with the reader's access rule; `mode` says whether vectors are searched and why not. */
  retriever: Retriever;
  /** Stops watching local builds, the ingestion worker, the chat runtime and the sign-in limiter's connection. */
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
  /** Tests keep sign-in failure counts to themselves (Redis would share them across test files). */
  signInLimiter?: RateLimiter;
  onReleaseChanged?: (event: ReleaseChangedEvent) => void;
}): Promise<Assembled> {
  const { config, db, clock, logger } = options;
  const runtime = createChatRuntime({ config, db, clock, logger, ...options.chat });
  const ingestion = createIngestion({ config, db, bus: runtime.bus, clock, logger });
  const retriever = createRetriever({
    db,
    logger,
    embedder: config.retrieval.embedding ? createOpenAiEmbedder(config.retrieval.embedding) : null,
    vectorTables: await hasVectorSearch(db),
    topK: config.retrieval.topK,
  });
  const broadcast = broadcastReleaseChanges({ db, bus: runtime.bus, clock });
  const registry = createRegistry({
    db,
    clock,
    logger,
    config: config.registry,
    publishReleaseChanged: async (event) => {
      options.onReleaseChanged?.(event);
      await broadcast(event);
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  await invalidateOnReleaseChange(runtime.bus, registry.resolver);
  const mode = config.registry.seedLocalRemotes;
  const stopSeeding = mode === 'off' ? () => undefined : await seedLocalBuilds(registry, mode, config.staticDir);
  const signInLimiter: RateLimiter & { close?(): Promise<void> } =
    options.signInLimiter ?? createSignInLimiter(config, clock, logger);
  const app = createApp({
    config,
    db,
    clock,
    logger,
    signInLimiter,
    bus: runtime.bus,
    sse: runtime.sse,
    agent: runtime.agent,
    resolveRemoteMap: registry.resolver.resolve,
    registry,
    ingestion,
    retriever,
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
    retriever,
    close: async () => {
      stopSeeding();
      await ingestion.close();
      await runtime.close();
      await signInLimiter.close?.();
    },
  };
}

/** 5 failed sign-ins per client and email in 15 minutes; shared by every instance when Redis is there. */
function createSignInLimiter(config: Config, clock: Clock, logger: Logger): RateLimiter & { close?(): Promise<void> } {
  const limit = { limit: 5, windowMs: 15 * 60_000 };
  const local = createMemoryRateLimiter({ ...limit, clock });
  if (!config.redisUrl) return local;
  return createRedisRateLimiter({ ...limit, url: config.redisUrl, clock, logger, fallback: local });
}
