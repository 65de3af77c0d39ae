import { type Agent, type AgentOptions, createAgent } from './agent/generation.js';
import { createLeaseSweeper, type LeaseSweeper } from './agent/lease-sweeper.js';
import { createOpenAiClient, type LlmClient } from './agent/llm-client.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/index.js';
import type { Logger } from './logger.js';
import { observeLlm } from './observability/instrument.js';
import type { Metrics } from './observability/metrics.js';
import type { Bus } from './realtime/bus.js';
import { createInProcessBus } from './realtime/in-process-bus.js';
import { createRedisBus } from './realtime/redis-bus.js';
import { createSseHub, type SseHub, type SseHubOptions } from './realtime/sse.js';
import type { Retriever } from './retrieval/search.js';

/** The long-lived parts behind chats: the bus, the event-stream hub, the agent and the lease sweeper. */
export interface ChatRuntime {
  bus: Bus;
  sse: SseHub;
  agent: Agent;
  sweeper: LeaseSweeper;
  close(): Promise<void>;
}

export interface ChatRuntimeOptions {
  config: Config;
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Tests pass a client for the scripted server, or null for "no model"; otherwise chosen from config. */
  llm?: LlmClient | null;
  bus?: Bus;
  agent?: Pick<AgentOptions, 'retry' | 'flushMs' | 'persistMs' | 'tools'>;
  sse?: Pick<SseHubOptions, 'heartbeatMs' | 'sessionCheckMs'>;
  /** Where model latency, tokens and cost are counted; absent: model calls are traced only. */
  metrics?: Metrics;
  /** The knowledge base answers search (retrieval/knowledge-base.ts); null: answers cite nothing. */
  retriever?: Retriever | null;
}

export function createChatRuntime(options: ChatRuntimeOptions): ChatRuntime {
  const { config, db, clock, logger } = options;
  const bus = options.bus ?? (config.redisUrl ? createRedisBus(config.redisUrl, logger) : createInProcessBus());
  const client =
    options.llm === undefined ? (config.llm.configured ? createOpenAiClient(config.llm, logger) : null) : options.llm;
  const llm = client && observeLlm(client, { metrics: options.metrics ?? null, prices: config.llm.prices });
  const sse = createSseHub({ db, bus, clock, logger, sessionPolicy: config.session, ...options.sse });
  const agent = createAgent({
    db,
    bus,
    clock,
    logger,
    config: config.llm,
    llm,
    retriever: options.retriever ?? null,
    mask: config.guardrails.mask,
    ...options.agent,
  });
  const sweeper = createLeaseSweeper({
    db,
    bus,
    clock,
    logger,
    intervalMs: Math.max(250, Math.floor(config.llm.answerLeaseMs / 3)),
    eventRetentionMs: config.eventRetentionMs,
    leaseMs: config.llm.answerLeaseMs,
  });
  return {
    bus,
    sse,
    agent,
    sweeper,
    async close() {
      sweeper.close();
      await sse.close();
      await agent.close();
      await bus.close();
    },
  };
}

export function describeRuntime(config: Config): Record<string, unknown> {
  return {
    bus: config.redisUrl ? 'redis' : 'in-process',
    agent: config.llm.configured
      ? { mode: 'llm', models: config.llm.models, baseUrl: config.llm.baseUrl ?? 'https://api.openai.com/v1' }
      : { mode: 'retrieval_only', why: 'no OPENAI_BASE_URL or OPENAI_API_KEY set' },
  };
}
