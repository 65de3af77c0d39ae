import { asc, eq } from 'drizzle-orm';
import {
  type AnswerContinuePayload,
  answerContinueHandler,
  answerContinueQueue,
  type ResumeAnswer,
} from './agent/answer-continue.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/index.js';
import { drafts as draftsTable } from './db/schema/index.js';
import { draftViews } from './drafts/repository.js';
import { createDrafts, type Drafts } from './drafts/runtime.js';
import type { JobHandler } from './jobs/worker.js';
import type { Logger } from './logger.js';
import { createMcpToolSource } from './mcp/mcp-source.js';
import type { Bus } from './realtime/bus.js';
import type { Retriever } from './retrieval/search.js';
import type { OutboundPolicy } from './tools/outbound-guard.js';
import { createTools, type Tools } from './tools/runtime.js';
import type { AnswerDrafts, ToolSource } from './tools/tool.js';

/** The agent's tools and the drafts they propose, wired once for the BFF (assemble.ts) and the worker (worker-main.ts). */
export interface AgentTools {
  tools: Tools;
  drafts: Drafts;
  /** Every job queue of the agent's tool use, by queue name: `draft.execute`, `draft.expire`, `answer.continue`. */
  // biome-ignore lint/suspicious/noExplicitAny: each handler narrows its own payload type.
  jobHandlers: Record<string, JobHandler<any>>;
}

/**
 * Builds the registry (built-ins, HTTP tools, admin-registered MCP servers, `extraSources`), the
 * gate that proposes through drafts, and the drafts that execute through the gate. `wakeWorker`
 * polls the in-process worker after an enqueue (a no-op when the worker is another process).
 */
export function createAgentTools(options: {
  config: Config;
  db: Database;
  bus: Bus;
  clock: Clock;
  logger: Logger;
  retriever: Retriever;
  wakeWorker(): void;
  extraSources?: readonly ToolSource[];
  outbound?: Partial<OutboundPolicy>;
  /**
   * The agent's `resume` (generation.ts): an answer whose drafts are all decided continues
   * through the model. Unset: such an answer completes with a plain result.
   */
  resume?: ResumeAnswer;
}): AgentTools {
  const { config, db, bus, clock, logger } = options;
  const drafts = createDrafts({
    db,
    bus,
    clock,
    logger,
    ttlMs: config.drafts.ttlMs,
    maxPending: config.drafts.maxPending,
    // The gate is built next, with this proposer: a draft looks its tool up through it when executing.
    tools: { get: (name) => tools.gate.get(name) },
    wakeWorker: () => options.wakeWorker(),
  });
  const tools: Tools = createTools({
    config,
    db,
    clock,
    logger,
    retriever: options.retriever,
    proposer: drafts.proposer,
    sources: [
      createMcpToolSource({
        db,
        clock,
        // Built next: the MCP client goes through the same outbound guard as HTTP tools.
        policy: () => tools.outboundPolicy,
        onNameClash: (server, names) =>
          logger.warn('MCP tools whose names clash are left out', { server: server.name, names }),
        onUnreachable: (server, error) =>
          logger.warn('MCP server unreachable; its tools are left out', {
            server: server.name,
            error: (error as Error).message,
          }),
      }),
      ...(options.extraSources ?? []),
    ],
    ...(options.outbound ? { outbound: options.outbound } : {}),
  });
  const answerDrafts: AnswerDrafts = {
    async forAnswer(answerId) {
      const rows = await db
        .select()
        .from(draftsTable)
        .where(eq(draftsTable.answerId, answerId))
        .orderBy(asc(draftsTable.createdAt));
      return draftViews(db, rows);
    },
  };
  const continueHandler: JobHandler<AnswerContinuePayload> = answerContinueHandler({
    db,
    bus,
    clock,
    leaseMs: config.llm.answerLeaseMs,
    drafts: answerDrafts,
    mask: config.guardrails.mask,
    resume: options.resume ?? null,
  });
  return {
    tools,
    drafts,
    jobHandlers: { ...drafts.jobHandlers, [answerContinueQueue]: continueHandler },
  };
}
