import type { RemoteMap } from '@atrium/contracts';
import type { Agent } from './agent/generation.js';
import type { SignInLimits } from './auth/sign-in-limits.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/index.js';
import type { SessionRow, UserRow } from './db/schema/index.js';
import type { Drafts } from './drafts/runtime.js';
import type { Entitlements } from './entitlements/entitlements.js';
import type { FeatureFlags } from './flags/flags.js';
import type { Ingestion } from './ingestion/runtime.js';
import type { Logger } from './logger.js';
import type { RequestRollup } from './middleware/request-rollup.js';
import type { Metrics } from './observability/metrics.js';
import type { Bus } from './realtime/bus.js';
import type { SseHub } from './realtime/sse.js';
import type { Registry } from './registry/registry.js';
import type { Retriever } from './retrieval/search.js';
import type { Tools } from './tools/runtime.js';

export interface Deps {
  config: Config;
  db: Database;
  clock: Clock;
  logger: Logger;
  signInLimits: SignInLimits;
  resolveRemoteMap(user: UserRow | null): Promise<RemoteMap>;
  bus: Bus;
  sse: SseHub;
  agent: Agent;
  registry: Registry;
  /** The document store and job queue uploads write to; its worker is woken after an enqueue when inline. */
  ingestion: Ingestion;
  /** Passages a reader may see, and whether vectors are searched (`mode`, shown in /readyz). */
  retriever: Retriever;
  /** The agent's tool registry and gate, and the outbound policy admin-typed URLs are checked with. */
  tools: Tools;
  /** Drafts waiting for people: decided through the routes, executed by the worker. */
  drafts: Drafts;
  /** Plans and paid features per user (issue 11). */
  entitlements: Entitlements;
  /** Feature flags evaluated per user (issue 11). */
  flags: FeatureFlags;
  /** This instance's Prometheus registry and instruments (served at /metrics). */
  metrics: Metrics;
  /** Per-minute request counts and latency, shared across instances (ops dashboards, issue 11). */
  requestRollup: RequestRollup;
}

export interface AppEnv {
  Bindings: { incoming?: { socket: { remoteAddress?: string | undefined } } };
  Variables: {
    requestId: string;
    logger: Logger;
    deps: Deps;
    session: SessionRow | null;
    user: UserRow | null;
  };
}
