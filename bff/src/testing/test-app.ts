import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { createApp } from '../app.js';
import { assemble } from '../assemble.js';
import { createMemorySignInLimits } from '../auth/sign-in-limits.js';
import type { ChatRuntime, ChatRuntimeOptions } from '../chat-runtime.js';
import { loadConfig } from '../config.js';
import type { Database } from '../db/index.js';
import type { UserRow } from '../db/schema/index.js';
import type { Drafts } from '../drafts/runtime.js';
import type { Entitlements } from '../entitlements/entitlements.js';
import type { Ingestion } from '../ingestion/runtime.js';
import { createLogger } from '../logger.js';
import type { RequestRollup } from '../middleware/request-rollup.js';
import type { Fetch } from '../registry/external-origin.js';
import type { Registry, ReleaseChangedEvent } from '../registry/registry.js';
import type { Embedder } from '../retrieval/embeddings.js';
import type { KnowledgeBase } from '../retrieval/knowledge-base.js';
import type { OutboundPolicy } from '../tools/outbound-guard.js';
import type { Tools } from '../tools/runtime.js';
import type { ToolSource } from '../tools/tool.js';
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
  /** Document store (in a temporary directory), job queue and the ingestion worker (running unless `ATRIUM_WORKER=off`). */
  ingestion: Ingestion;
  /** The retriever and embedding port behind answers and ingestion. */
  knowledge: KnowledgeBase;
  /** The draft proposer and the drafts' job handlers (run by the ingestion worker). */
  drafts: Drafts;
  /** The agent's tool registry and gate. */
  tools: Tools;
  driver: 'pglite' | 'postgres';
  /** Request counts and latency batched for `request_rollups` (flushed by hand: no timer in tests). */
  requestRollup: RequestRollup;
  /** The remote registry behind the app. */
  registry: Registry;
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
    /** The embeddings provider (a scripted `/embeddings` server); unset: as config says (none unless ATRIUM_EMBEDDING_MODEL is in `env`). */
    embedder?: Embedder | null;
    /** Tools besides the built-ins, through the real registry and gate (a test's own tools). */
    toolSources?: readonly ToolSource[];
    /** Outbound-guard overrides: exempt the address of a server the test started. */
    outbound?: Partial<OutboundPolicy>;
    /** A fake entitlement store (a test grants or revokes `multi_agent`); unset: everyone on free. */
    entitlements?: Entitlements;
  } = {},
): Promise<TestApp> {
  const fixture = createStaticFixture({ withShell: options.withShell ?? true });
  // Only the DATABASE_URL of the surrounding environment matters here: it picks the driver under test.
  const surrounding = loadConfig();
  const documentDir = mkdtempSync(path.join(tmpdir(), 'atrium-documents-'));
  const config = loadConfig({
    ATRIUM_STATIC_DIR: fixture.dir,
    ATRIUM_DOCUMENT_DIR: documentDir,
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  const database = await openTestDatabase(surrounding.database);
  const clock = createManualClock();
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger('debug', (line) => logs.push(JSON.parse(line)));
  const releaseEvents: ReleaseChangedEvent[] = [];
  const { app, runtime, registry, ingestion, knowledge, drafts, tools, requestRollup, close } = await assemble({
    config: { ...config, database: surrounding.database },
    db: database.db,
    clock,
    logger,
    ...(options.chat ? { chat: options.chat } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.embedder !== undefined ? { embedder: options.embedder } : {}),
    ...(options.toolSources ? { toolSources: options.toolSources } : {}),
    ...(options.outbound ? { outbound: options.outbound } : {}),
    ...(options.entitlements ? { entitlements: options.entitlements } : {}),
    onReleaseChanged: (event) => releaseEvents.push(event),
    signInLimits: createMemorySignInLimits(config.signInLimits, clock),
    rollupFlushMs: 0,
  });
  return {
    app,
    db: database.db,
    clock,
    logs,
    staticDir: fixture.dir,
    runtime,
    ingestion,
    knowledge,
    drafts,
    tools,
    driver: surrounding.database.driver,
    registry,
    requestRollup,
    releaseEvents,
    createUser: ({ email, role = 'user', password = testPassword }) =>
      createUser(database.db, { email, role, password, displayName: email.split('@')[0]!, now: clock.now() }),
    close: async () => {
      await close();
      await database.close();
      fixture.remove();
      rmSync(documentDir, { recursive: true, force: true });
    },
  };
}
