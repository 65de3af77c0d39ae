import { serve } from '@hono/node-server';
import { assemble } from './assemble.js';
import { bootstrapAdmin } from './auth/bootstrap-admin.js';
import { describeRuntime } from './chat-runtime.js';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { openDatabase } from './db/index.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const clock = systemClock;
  const database = await openDatabase(config.database, logger);
  logger.info('database ready', { driver: database.driver });
  await bootstrapAdmin(database.db, config, clock, (text) => process.stdout.write(text));

  const assembled = await assemble({ config, db: database.db, clock, logger });
  logger.info('chat runtime ready', describeRuntime(config));

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
