import { serve } from '@hono/node-server';
import { type Assembled, assemble } from './assemble.js';
import { bootstrapAdmin } from './auth/bootstrap-admin.js';
import { describeRuntime } from './chat-runtime.js';
import { type Clock, systemClock } from './clock.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { type Database, openDatabase } from './db/index.js';
import { seedDemoKnowledgeBase } from './documents/demo-kb.js';
import { documentDeps } from './documents/service.js';
import { createLogger, type Logger } from './logger.js';
import { startTracing } from './observability/tracing.js';
import { firstAdmin } from './users/accounts.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const clock = systemClock;
  const tracing = config.observability.tracing;
  const tracer = tracing
    ? startTracing({ otlpEndpoint: tracing.otlpEndpoint, serviceName: tracing.serviceName ?? 'atrium-bff' })
    : null;
  if (tracing) logger.info('tracing: spans exported over OTLP/HTTP', { endpoint: tracing.otlpEndpoint });
  const database = await openDatabase(config.database, logger);
  logger.info('database ready', { driver: database.driver });
  await bootstrapAdmin(database.db, config, clock, (text) => process.stdout.write(text));

  const assembled = await assemble({ config, db: database.db, clock, logger });
  logger.info('chat runtime ready', describeRuntime(config));
  const { mode } = assembled.knowledge.retriever;
  if (mode.vector) logger.info('retrieval: full-text and vector search');
  else logger.warn(`retrieval: full-text only, because ${mode.reason}`, { vector: false, reason: mode.reason });
  if (config.documents.seedDemoKb) await seedDemoKb(config, database.db, clock, logger, assembled);

  const server = serve({ fetch: assembled.app.fetch, port: config.port, hostname: config.host }, (info) => {
    process.stdout.write(`Atrium is running at http://localhost:${info.port}\n`);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    // Open event streams would hold close() until the deadline: end them first.
    void assembled.runtime.sse.close();
    server.close(() => {
      assembled
        .close()
        .then(() => database.close())
        .then(() => tracer?.shutdown())
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    });
    // Keep-alive connections can hold close() open; don't let a stuck client block a deploy.
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** Loads the demo knowledge base for the first admin when none of it is there yet; a failure is logged, never fatal. */
async function seedDemoKb(config: Config, db: Database, clock: Clock, logger: Logger, assembled: Assembled) {
  try {
    const owner = await firstAdmin(db);
    if (!owner) return;
    const deps = documentDeps({
      db,
      bus: assembled.runtime.bus,
      clock,
      logger,
      config,
      ingestion: assembled.ingestion,
    });
    const outcome = await seedDemoKnowledgeBase(deps, config.documents.demoKbDir, owner.id);
    if ('seeded' in outcome)
      logger.info('demo knowledge base loaded', { documents: outcome.seeded, owner: owner.email });
  } catch (error) {
    logger.error('could not load the demo knowledge base', { error: (error as Error).message });
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Atrium failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
