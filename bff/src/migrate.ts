import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/index.js';

/**
 * One-shot migration (the `migrate` service in docker-compose.yml). BFFs also migrate at start-up
 * under an advisory lock, so this only makes a deploy fail early and visibly on a bad migration.
 */
try {
  const database = await openDatabase(loadConfig().database);
  await database.close();
  process.stdout.write('Migrations applied.\n');
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
}
