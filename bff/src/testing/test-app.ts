import { createApp } from '../app.js';
import { type ChatRuntime, type ChatRuntimeOptions, createChatRuntime } from '../chat-runtime.js';
import { loadConfig } from '../config.js';
import type { Database } from '../db/index.js';
import type { UserRow } from '../db/schema/index.js';
import { createLogger } from '../logger.js';
import { createMemoryRateLimiter } from '../middleware/rate-limit.js';
import type { Fetch } from '../registry/external-origin.js';
import { createRegistry, type ReleaseChangedEvent } from '../registry/registry.js';
import { broadcastReleaseChanges, invalidateOnReleaseChange } from '../registry/release-broadcast.js';
import { seedLocalBuilds } from '../registry/seed-local-builds.js';
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
  /** The bus, event-stream hub, agent and lease sweeper behind the app. */
  runtime: ChatRuntime;
  /** Every `release.changed` the registry broadcast, in order. */
  releaseEvents: ReleaseChangedEvent[];
  createUser(input: { email: string; role?: UserRow['role']; password?: string }): Promise<UserRow>;
  close(): Promise<void>;
}

export const testPassword = 'a perfectly long password';

/** The real app over a throwaway database, a manual clock and captured logs. */
export async function createTestApp(
  options: {
    env?: Record<string, string>;
    withShell?: boolean;
    /** Agent and bus overrides: a client for the scripted LLM server, retry timing, a shared bus. */
    chat?: Pick<ChatRuntimeOptions, 'llm' | 'bus' | 'agent' | 'sse'>;
    fetch?: Fetch;
  } = {},
): Promise<TestApp> {
  const fixture = createStaticFixture({ withShell: options.withShell ?? true });
  // Only the DATABASE_URL of the surrounding environment matters here: it picks the driver under test.
  const surrounding = loadConfig();
  const config = loadConfig({ ATRIUM_STATIC_DIR: fixture.dir, LOG_LEVEL: 'debug', ...options.env });
  const database = await openTestDatabase(surrounding.database);
  const clock = createManualClock();
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger('debug', (line) => logs.push(JSON.parse(line)));
  const runtime = createChatRuntime({
    config: { ...config, database: surrounding.database },
    db: database.db,
    clock,
    logger,
    ...options.chat,
  });
  const releaseEvents: ReleaseChangedEvent[] = [];
  const broadcast = broadcastReleaseChanges({ db: database.db, bus: runtime.bus, clock });
  const registry = createRegistry({
    db: database.db,
    clock,
    logger,
    config: config.registry,
    publishReleaseChanged: async (event) => {
      releaseEvents.push(event);
      await broadcast(event);
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  await invalidateOnReleaseChange(runtime.bus, registry.resolver);
  if (config.registry.seedLocalRemotes !== 'off')
    await seedLocalBuilds(registry, config.registry.seedLocalRemotes, fixture.dir);
  const app = createApp({
    config: { ...config, database: surrounding.database },
    db: database.db,
    clock,
    logger,
    signInLimiter: createMemoryRateLimiter({ limit: 5, windowMs: 15 * 60_000, clock }),
    bus: runtime.bus,
    sse: runtime.sse,
    agent: runtime.agent,
    resolveRemoteMap: registry.resolver.resolve,
    registry,
  });
  return {
    app,
    db: database.db,
    clock,
    logs,
    staticDir: fixture.dir,
    runtime,
    releaseEvents,
    createUser: ({ email, role = 'user', password = testPassword }) =>
      createUser(database.db, { email, role, password, displayName: email.split('@')[0]!, now: clock.now() }),
    close: async () => {
      await runtime.close();
      await database.close();
      fixture.remove();
    },
  };
}
