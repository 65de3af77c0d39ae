import { createApp } from './app.js';
import { createMemorySignInLimits, createSharedSignInLimits, type SignInLimits } from './auth/sign-in-limits.js';
import { type ChatRuntime, type ChatRuntimeOptions, createChatRuntime } from './chat-runtime.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/index.js';
import { createIngestion, type Ingestion } from './ingestion/runtime.js';
import type { Logger } from './logger.js';
import type { Fetch } from './registry/external-origin.js';
import { createRegistry, type Registry, type ReleaseChangedEvent } from './registry/registry.js';
import { invalidateOnReleaseChange } from './registry/release-broadcast.js';
import { seedLocalBuilds } from './registry/seed-local-builds.js';
import type { Embedder } from './retrieval/embeddings.js';
import { createKnowledgeBase, type KnowledgeBase } from './retrieval/knowledge-base.js';

export interface Assembled {
  app: ReturnType<typeof createApp>;
  runtime: ChatRuntime;
  registry: Registry;
  /** The document store, job queue and ingestion worker (running here when `ATRIUM_WORKER=inline`). */
  ingestion: Ingestion;
  /** The retriever answers use and the embedding port ingestion uses. */
  knowledge: KnowledgeBase;
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
  /** The embeddings provider (a scripted `/embeddings` server in tests); null: none, whatever config says. */
  embedder?: Embedder | null;
  /** Tests keep sign-in failure counts to themselves (Redis would share them across test files). */
  signInLimits?: SignInLimits;
  onReleaseChanged?: (event: ReleaseChangedEvent) => void;
}): Promise<Assembled> {
  const { config, db, clock, logger } = options;
  const knowledge = await createKnowledgeBase({
    config,
    db,
    logger,
    ...(options.embedder !== undefined ? { embedder: options.embedder } : {}),
  });
  const runtime = createChatRuntime({ config, db, clock, logger, retriever: knowledge.retriever, ...options.chat });
  const ingestion = createIngestion({ config, db, bus: runtime.bus, clock, logger, embed: knowledge.embedChunks });
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
    close: async () => {
      stopSeeding();
      await ingestion.close();
      await runtime.close();
      await signInLimits.close();
    },
  };
}
