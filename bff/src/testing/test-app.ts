import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import type { Database } from '../db/index.js';
import type { UserRow } from '../db/schema/index.js';
import { createLogger } from '../logger.js';
import { createMemoryRateLimiter } from '../middleware/rate-limit.js';
import { createLocalCatalog } from '../remotes/catalog.js';
import { createUser } from '../users/accounts.js';
import { createManualClock, type ManualClock } from './manual-clock.js';
import { createStaticFixture } from './static-fixture.js';
import { openTestDatabase } from './test-database.js';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  db: Database;
  clock: ManualClock;
  logs: Record<string, unknown>[];
  staticDir: string;
  createUser(input: { email: string; role?: UserRow['role']; password?: string }): Promise<UserRow>;
  close(): Promise<void>;
}

export const testPassword = 'a perfectly long password';

/** The real app over a throwaway database, a manual clock and captured logs. */
export async function createTestApp(
  options: { env?: Record<string, string>; withShell?: boolean } = {},
): Promise<TestApp> {
  const fixture = createStaticFixture({ withShell: options.withShell ?? true });
  // Only the DATABASE_URL of the surrounding environment matters here: it picks the driver under test.
  const surrounding = loadConfig();
  const config = loadConfig({ ATRIUM_STATIC_DIR: fixture.dir, LOG_LEVEL: 'debug', ...options.env });
  const database = await openTestDatabase(surrounding.database);
  const clock = createManualClock();
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger('debug', (line) => logs.push(JSON.parse(line)));
  const app = createApp({
    config: { ...config, database: surrounding.database },
    db: database.db,
    clock,
    logger,
    signInLimiter: createMemoryRateLimiter({ limit: 5, windowMs: 15 * 60_000, clock }),
    resolveRemoteMap: createLocalCatalog({ staticDir: fixture.dir, clock }),
  });
  return {
    app,
    db: database.db,
    clock,
    logs,
    staticDir: fixture.dir,
    createUser: ({ email, role = 'user', password = testPassword }) =>
      createUser(database.db, { email, role, password, displayName: email.split('@')[0]!, now: clock.now() }),
    close: async () => {
      await database.close();
      fixture.remove();
    },
  };
}
