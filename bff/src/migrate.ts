import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { createLogger } from './logger.js';

/**
 * One-shot migration (the `migrate` service in docker-compose.yml). BFFs also migrate at start-up
 * under an advisory lock, so this only makes a deploy fail early and visibly on a bad migration.
 */
try {
  const config = loadConfig();
  const database = await openDatabase(config.database, createLogger(config.logLevel));
  await database.close();
  process.stdout.write('Migrations applied.\n');
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
}
