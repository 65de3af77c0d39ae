import { type Agent, createAgent } from './agent/generation.js';
import { createOpenAiClient } from './agent/llm-client.js';
import { createAgentTools } from './agent-tools.js';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { createFeatureFlags } from './flags/feature-flags.js';
import { flaggedToolGate } from './flags/flagged-tool-gate.js';
import { createIngestion } from './ingestion/runtime.js';
import { createLogger } from './logger.js';
import { observeLlm, observeRetriever, observeToolGate } from './observability/instrument.js';
import { startTracing } from './observability/tracing.js';
import { createInProcessBus } from './realtime/in-process-bus.js';
import { createRedisBus } from './realtime/redis-bus.js';
import { createKnowledgeBase } from './retrieval/knowledge-base.js';

/**
 * The production `worker` entry (`pnpm --filter @atrium/bff worker`, the `worker` service in
 * docker-compose.yml): the same configuration and code as the BFF's inline worker, no HTTP.
 * Run it with `ATRIUM_WORKER=off` on the BFFs, PostgreSQL, and Redis so the BFFs hear its
 * events live (without Redis they reach browsers from the event log at their next reconnect).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const tracing = config.observability.tracing;
  const tracer = tracing
    ? startTracing({ otlpEndpoint: tracing.otlpEndpoint, serviceName: tracing.serviceName ?? 'atrium-worker' })
    : null;
  if (config.database.driver !== 'postgres') {
    throw new ConfigError(
      'The worker process needs DATABASE_URL: the embedded database belongs to one process. Without PostgreSQL, keep ATRIUM_WORKER=inline.',
    );
  }
  const database = await openDatabase(config.database, logger);
  const bus = config.redisUrl ? createRedisBus(config.redisUrl, logger) : createInProcessBus();
  if (!config.redisUrl) logger.warn('no REDIS_URL: document progress reaches browsers only when they reconnect');
  const unobserved = await createKnowledgeBase({ config, db: database.db, logger });
  // Traced like the BFF's (no /metrics here: the worker serves no HTTP).
  const knowledge = { ...unobserved, retriever: observeRetriever(unobserved.retriever, null) };
  let wakeWorker: () => void = () => undefined;
  // The agent resumes answers whose drafts were decided (answer.continue runs here): it needs the
  // model, the gate and the output guardrail exactly as the BFF's agent has them.
  let agent: Agent | null = null;
  const { jobHandlers, tools } = createAgentTools({
    config,
    db: database.db,
    bus,
    clock: systemClock,
    logger,
    retriever: knowledge.retriever,
    wakeWorker: () => wakeWorker(),
    resume: (ref, input) => (agent ? agent.resume(ref, input) : Promise.resolve(false)),
  });
  // The resumed answer is offered tools under the same `agent.tools` flag as in the BFF.
  const flags = createFeatureFlags({ db: database.db, bus, clock: systemClock, logger });
  await flags.follow();
  agent = createAgent({
    db: database.db,
    bus,
    clock: systemClock,
    logger,
    config: config.llm,
    llm: config.llm.configured
      ? observeLlm(createOpenAiClient(config.llm, logger), { metrics: null, prices: config.llm.prices })
      : null,
    retriever: knowledge.retriever,
    tools: flaggedToolGate(observeToolGate(tools.gate, null), flags),
    mask: config.guardrails.mask,
  });
  const resumer = agent;
  const ingestion = createIngestion({
    config,
    db: database.db,
    bus,
    clock: systemClock,
    logger,
    embed: knowledge.embedChunks,
    handlers: jobHandlers,
  });
  wakeWorker = () => ingestion.worker.wake();
  ingestion.worker.start();
  logger.info('worker running', {
    workerId: ingestion.worker.workerId,
    concurrency: config.worker.ingestConcurrency,
    agent: resumer.status().mode,
    documentDir: config.documents.dir,
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('worker shutting down', { signal });
    // Jobs (a resumed answer among them) get the grace period; answers still running then are cut.
    ingestion
      .close(8_000)
      .then(() => resumer.close())
      .then(() => bus.close())
      .then(() => database.close())
      .then(() => tracer?.shutdown())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError
      ? `${error.message}\n`
      : `Atrium worker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
