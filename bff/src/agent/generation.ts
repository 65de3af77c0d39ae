import { type AgentStatus, audienceRank, defaultAgentId } from '@atrium/contracts';
import { findAgent, type ResolvedAgent } from '../agents/store.js';
import { findChat, findMessage, runningAnswer } from '../chats/repository.js';
import type { AnswerRunner, PendingAnswer } from '../chats/service.js';
import type { LlmConfig } from '../config.js';
import type { MessageRow } from '../db/schema/index.js';
import type { Reader } from '../documents/access.js';
import type { MaskPolicy } from '../guardrails/output-mask.js';
import { type GuardrailTrigger, recordGuardrail } from '../guardrails/record.js';
import type { Logger } from '../logger.js';
import type { EventDeps } from '../realtime/event-log.js';
import type { RetrievedPassage, Retriever } from '../retrieval/search.js';
import type { ToolGate } from '../tools/tool.js';
import { askerOf, createAgentLoop, progressFrom, type Running } from './agent-loop.js';
import type { ResumeAnswer } from './answer-continue.js';
import {
  type AnswerPatch,
  type AnswerRef,
  type AnswerStatus,
  createAnswerLifecycle,
  type MoveOptions,
} from './answer-lifecycle.js';
import { resumePrompt, resumeTurns } from './answer-resume.js';
import { retrievalOnlyAnswer, sourcesPrompt } from './answer-with-sources.js';
import { createCircuitBreaker } from './circuit-breaker.js';
import { failureFor, interruptedFailure } from './failures.js';
import type { LlmClient, LlmTurn } from './llm-client.js';
import { chooseModel } from './model-choice.js';
import { fitNewestHistory, type HistoryPages, historyPages, prefetchFirstPage } from './prompt-history.js';
import { type RetryPolicy, sleep } from './retry.js';

export interface AgentOptions extends EventDeps {
  logger: Logger;
  config: LlmConfig;
  /** Null: no model configured, every answer is retrieval-only. */
  llm: LlmClient | null;
  /** Searches the knowledge base with the asker's permissions; null: no knowledge base (answers cite nothing). */
  retriever: Retriever | null;
  retry?: Partial<RetryPolicy>;
  /** After the first delta, which is written at once, tokens are coalesced into one delta event per this many ms. */
  flushMs?: number;
  /**
   * The shown deltas are stored in one transaction every this many ms (the first at once, and all
   * before the answer moves on); unset: `config.answerPersistMs` (ATRIUM_ANSWER_PERSIST_MS).
   */
  persistMs?: number;
  /** The tool gate (bff/src/tools/gate.ts); null or unset: the model is offered no tools. */
  tools?: ToolGate | null;
  /**
   * The output guardrail (config `ATRIUM_MASK_*`): deltas pass a stream masker, stored text is
   * masked by the lifecycle and counted. Null or unset: nothing is masked.
   */
  mask?: MaskPolicy | null;
}

export interface Agent extends AnswerRunner {
  /** Continues an answer whose drafts were all decided (the `answer.continue` job's port). */
  resume: ResumeAnswer;
  status(): AgentStatus;
  /** Resolves when this instance generates nothing (tests, shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

type Job = AnswerRef;

type Asker = Awaited<ReturnType<typeof askerOf>>;

/** A unique violation (PostgreSQL 23505), however the driver wraps it. */
function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error || (typeof e === 'object' && e !== null); ) {
    if ((e as { code?: unknown }).code === '23505') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export function createAgent(options: AgentOptions): Agent {
  const { config, logger, llm, clock, bus, db } = options;
  const mask = options.mask ?? null;
  const breaker = createCircuitBreaker({ ...config.breaker, clock });
  const retryPolicy: RetryPolicy = {
    maxRetries: config.maxRetries,
    baseDelayMs: 500,
    maxDelayMs: 20_000,
    sleep,
    random: Math.random,
    ...options.retry,
  };
  const lifecycle = createAnswerLifecycle({ db, bus, clock, leaseMs: config.answerLeaseMs, mask });
  /** The answers this instance generates, by answer id: each one's run and its ref (`close` ends it). */
  const running = new Map<string, { run: Running; job: Job }>();
  const jobs = new Set<Promise<unknown>>();

  const control = bus.subscribe('control', (message) => {
    if (message.kind === 'stop-answer') cut(message.answerId);
  });
  control.catch((error: Error) => logger.warn('control channel unavailable', { error: error.message }));

  function cut(answerId: string): void {
    const run = running.get(answerId)?.run;
    if (!run) return;
    run.cut = true;
    run.attempt.abort();
  }

  const loop = llm
    ? createAgentLoop({
        db,
        config,
        logger,
        llm,
        lifecycle,
        breaker,
        retryPolicy,
        flushMs: options.flushMs ?? 50,
        persistMs: options.persistMs ?? config.answerPersistMs,
        gate: options.tools ?? null,
        mask,
        cut,
      })
    : null;

  async function finish(job: Job, to: AnswerStatus, patch: AnswerPatch, options?: MoveOptions): Promise<void> {
    await lifecycle.move(job, to, patch, options);
  }

  /** Retrieval-only answers are masked too (a document may hold a key): the lifecycle masks `content`. */
  function answerRetrievalOnly(
    job: Job,
    question: string,
    passages: readonly RetrievedPassage[],
    reason: 'no_model' | 'unavailable',
  ): Promise<void> {
    const answer = retrievalOnlyAnswer(question, passages, reason);
    return finish(
      job,
      'complete',
      { mode: 'retrieval_only', model: null, content: answer.text, citations: answer.citations },
      { maskKnown: passages.map((passage) => passage.text) },
    );
  }

  /**
   * The passages for the question this answer replies to, searched as the asker — their role
   * read now, so a role taken away since the question was asked no longer reads what it gave.
   * A failing search answers from nothing rather than failing the answer.
   */
  /** Audits and counts one guardrail trigger of this answer (nothing when `count` is 0). */
  async function recordTrigger(
    job: Job,
    trigger: Pick<GuardrailTrigger, 'layer' | 'kind' | 'count' | 'detail'>,
  ): Promise<void> {
    if (trigger.count < 1) return;
    await db.transaction((tx) =>
      recordGuardrail(tx, { ...trigger, at: clock.now(), actorId: job.userId, target: `message:${job.answerId}` }),
    );
  }

  /**
   * The agent writing this answer: the one recorded on it when it was asked for (the chat's agent
   * then), else the chat's; the default agent when that one was deleted meanwhile.
   */
  async function agentOf(job: Job, answer: Pick<MessageRow, 'agentId'>): Promise<ResolvedAgent> {
    const id = answer.agentId ?? (await findChat(db, job.userId, job.chatId))?.agentId ?? defaultAgentId;
    return (await findAgent(db, id)) ?? (await findAgent(db, defaultAgentId))!;
  }

  /**
   * The passages for the question, and how many the access rule withheld from the asker (for the
   * guardrail count, recorded by `recordWithheld` once the answer is claimed). Only reads.
   */
  async function retrieve(
    job: Job,
    agent: ResolvedAgent,
    asker: Asker,
    question: string,
  ): Promise<{ passages: RetrievedPassage[]; withheld: number }> {
    if (!options.retriever || question.trim() === '' || !asker) return { passages: [], withheld: 0 };
    try {
      const reader: Reader = { userId: job.userId, role: asker.caller.role };
      // The agent's audience narrows what the asker may read (never widens it); the guardrail
      // count is of what the access rule itself withholds.
      const searcher: Reader = agent.audience ? { ...reader, audienceCap: audienceRank[agent.audience] } : reader;
      const [passages, withheld] = await Promise.all([
        options.retriever.search(searcher, question),
        options.retriever.withheld(reader, question),
      ]);
      return { passages, withheld };
    } catch (error) {
      searchFailed(job, error);
      return { passages: [], withheld: 0 };
    }
  }

  function searchFailed(job: Job, error: unknown): void {
    logger.warn('knowledge base search failed; answering without passages', {
      answerId: job.answerId,
      error: (error as Error).message,
    });
  }

  /**
   * Guardrail (retrieval): the access filter kept passages from this asker; counted, never shown.
   * A failing record answers from nothing, as a failing search does.
   */
  async function recordWithheld(job: Job, prepared: { passages: RetrievedPassage[]; withheld: number }) {
    try {
      await recordTrigger(job, { layer: 'retrieval', kind: 'access_filter', count: prepared.withheld, detail: {} });
      return prepared.passages;
    } catch (error) {
      searchFailed(job, error);
      return [];
    }
  }

  /**
   * What an answer needs before its prompt, read only (nothing is written, so it may run before
   * the answer is claimed). The independent reads go side by side (on PostgreSQL they overlap on
   * the pool of 10; PGlite runs them one by one): its agent, its asker (role read now), and the
   * newest page of the chat, which the prompt reads first. The question is the text the request
   * gave (`PendingAnswer`), else found in that page as a rule, else read by id. Then, beside
   * each other, the passages for the question and the tools offered to the asker.
   */
  async function prepare(job: Job, answer: Pick<MessageRow, 'position' | 'replyTo' | 'agentId'>, text?: string) {
    const history = prefetchFirstPage(
      historyPages(db, job.userId, job.chatId),
      answer.position,
      config.historyTokenBudget,
    );
    const questionOf = async (id: string) =>
      (await history.first()).find((row) => row.id === id)?.content ??
      (await findMessage(db, job.userId, id))?.content ??
      '';
    const [agent, asker, question] = await Promise.all([
      agentOf(job, answer),
      askerOf(db, job.userId),
      text ?? (answer.replyTo ? questionOf(answer.replyTo) : ''),
    ]);
    const [retrieved, offered] = await Promise.all([
      retrieve(job, agent, asker, question),
      loop?.offeredTools(agent.tools, asker?.caller ?? null),
    ]);
    return { agent, asker, question, retrieved, offered, pages: history.pages };
  }

  async function buildPrompt(
    job: Job,
    answer: Pick<MessageRow, 'position' | 'replyTo'>,
    agent: ResolvedAgent,
    passages: readonly RetrievedPassage[],
    pages: HistoryPages,
  ): Promise<LlmTurn[]> {
    const sources = sourcesPrompt(passages);
    for (const [n, signals] of sources.flagged) {
      // Guardrail (input, retrieved text): the passage still goes to the model, quoted and flagged.
      await recordTrigger(job, {
        layer: 'input',
        kind: 'retrieved_passage',
        count: signals.length,
        detail: { chunkId: passages[n - 1]?.chunkId ?? null, signals },
      });
    }
    const system: LlmTurn = { role: 'system', content: `${agent.systemPrompt}\n\n${sources.text}` };
    // Only the newest messages the budget holds are read (prompt-history.ts).
    return fitNewestHistory(pages, {
      position: answer.position,
      answering: answer.replyTo,
      system,
      budget: config.historyTokenBudget,
    });
  }

  /**
   * A new answer, from `pending` (what the request that made it knows) or, without it, from the
   * row the claim returns. Round trips before the first token (issue 12, bench/ttft.ts):
   * - The claim (`pending → retrieving`; only a pending answer moves there, answerTransitions)
   *   runs beside the reads of `prepare`, which write nothing. Nothing is written and the model
   *   is not asked before the claim has landed: an answer stopped or deleted before it costs reads only.
   * - The move to `streaming` (mode and model) runs beside the model's first request; the
   *   request goes out at once, but no text is shown before the move lands (`heldUntil`), so the
   *   events keep their order (`retrieving`, `streaming`, then deltas). If the answer was stopped
   *   in between, the request is aborted and the loop ends as a stop does (its usage is estimated).
   */
  async function generate(job: Job, run: Running, pending?: PendingAnswer): Promise<void> {
    const claim = lifecycle.move(job, 'retrieving');
    // A failed claim surfaces where it is awaited below, not as an unhandled rejection.
    claim.catch(() => undefined);
    const answer = pending ?? (await claim);
    if (!answer) return;
    const preparing = prepare(job, answer, pending?.question);
    preparing.catch(() => undefined);
    if (!(await claim)) return;
    const { agent, asker, question, retrieved, offered, pages } = await preparing;
    const passages = await recordWithheld(job, retrieved);
    if (!loop) return answerRetrievalOnly(job, question, passages, 'no_model');
    if (!breaker.tryAcquire()) return answerRetrievalOnly(job, question, passages, 'unavailable');

    const prompt = await buildPrompt(job, answer, agent, passages, pages);
    const model = agent.model ?? chooseModel(config.models, prompt.slice(1));
    const streaming = lifecycle.move(job, 'streaming', { mode: 'llm', model });
    streaming.catch(() => undefined);
    await loop.converse(job, run, {
      model,
      conversation: prompt,
      passages,
      state: progressFrom(0),
      steps: [],
      tools: agent.tools,
      asker,
      ...(offered ? { offered } : {}),
      ready: streaming,
    });
  }

  /** Runs `work` as a tracked answer (stoppable, awaited by `idle`/`close`); a crash fails the answer. */
  function track(job: Job, work: (run: Running) => Promise<void>): Promise<void> {
    const run: Running = { attempt: new AbortController(), cut: false, limit: null };
    running.set(job.answerId, { run, job });
    const task = work(run)
      .catch(async (error: Error) => {
        logger.error('answer generation crashed', { answerId: job.answerId, error: error.message, stack: error.stack });
        await finish(job, 'failed', { error: failureFor(error) }).catch(() => undefined);
      })
      .finally(() => {
        if (running.get(job.answerId)?.run === run) running.delete(job.answerId);
        jobs.delete(task);
      });
    jobs.add(task);
    return task;
  }

  /**
   * Continues an `awaiting_approval` answer once its drafts are decided: the conversation up to
   * its question, then its earlier text and tool calls with a `tool` message per call carrying
   * the outcome as quoted data (tool-steps.ts `quoted`). Moves `awaiting_approval → streaming`
   * before any model request, only from `awaiting_approval`, so exactly one caller per answer wins
   * it and calls the model (the one-running-answer index refuses it when another answer runs in
   * the chat) and streams
   * the continuation after the stored text; resolves true when the loop ran to its end, false
   * when it could not start (no model, breaker open, another answer running) so the
   * `answer.continue` handler appends a plain result instead.
   */
  const resume: ResumeAnswer = async (ref, { steps, drafts }) => {
    if (!loop || running.has(ref.answerId)) return false;
    const answer = await findMessage(db, ref.userId, ref.answerId);
    if (answer?.status !== 'awaiting_approval' || answer.chatId !== ref.chatId) return false;
    if (await runningAnswer(db, ref.userId, ref.chatId)) return false;
    const { agent, asker, retrieved, offered, pages } = await prepare(ref, answer);
    const passages = await recordWithheld(ref, retrieved);
    const prompt = await buildPrompt(ref, answer, agent, passages, pages);
    const system = prompt[0]!;
    prompt[0] = { role: 'system', content: `${system.content}\n\n${resumePrompt}` };
    const conversation = [...prompt, ...resumeTurns(answer.content, steps, drafts)];
    if (!breaker.tryAcquire()) return false;
    // Only from `awaiting_approval`: of two `answer.continue` jobs that both found every draft
    // settled, the one whose move wins calls the model; the other sees null and stops here.
    let moved: MessageRow | null;
    try {
      moved = await lifecycle.move(ref, 'streaming', { steps }, { from: ['awaiting_approval'] });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      moved = null;
    }
    if (!moved) {
      breaker.release();
      return false;
    }
    const model = moved.model ?? agent.model ?? chooseModel(config.models, conversation.slice(1));
    await track(ref, (run) =>
      loop.converse(ref, run, {
        model,
        conversation,
        passages,
        state: progressFrom((moved.deltaSeq ?? -1) + 1, '\n\n'),
        steps: [...steps],
        tools: agent.tools,
        asker,
        ...(offered ? { offered } : {}),
        earlier: {
          content: moved.content,
          citations: moved.citations ?? [],
          promptTokens: moved.promptTokens ?? 0,
          completionTokens: moved.completionTokens ?? 0,
        },
      }),
    );
    return true;
  };

  const agent: Agent = {
    leaseMs: config.answerLeaseMs,
    start(job, pending) {
      void track(job, (run) => generate(job, run, pending));
    },
    resume,
    async requestStop(answerId) {
      cut(answerId);
      await bus.publish('control', { kind: 'stop-answer', answerId });
    },
    status() {
      const breakerState = breaker.state();
      const usable = config.configured && breakerState !== 'open';
      return {
        mode: usable ? 'llm' : 'retrieval_only',
        model: usable ? config.models.small : null,
        breaker: breakerState,
      };
    },
    async idle() {
      while (jobs.size > 0) await Promise.allSettled([...jobs]);
    },
    /**
     * Cuts every answer this instance generates, waits for their last text to be stored, then ends
     * each one still running as `interrupted` (its stored text kept, `agent.interrupted`), as the
     * lease sweeper would once the lease ran out (ATRIUM_ANSWER_LEASE_MS). Until then the chat
     * would refuse a new question (one running answer per chat) after every graceful restart.
     */
    async close() {
      const cutOff = [...running.values()].map((entry) => entry.job);
      for (const ref of cutOff) cut(ref.answerId);
      await agent.idle();
      for (const ref of cutOff) {
        await lifecycle.move(ref, 'interrupted', { error: interruptedFailure }).catch((error: Error) =>
          logger.warn('could not end an answer at shutdown; the lease sweeper will', {
            answerId: ref.answerId,
            error: error.message,
          }),
        );
      }
      (await control.catch(() => () => undefined))();
    },
  };
  return agent;
}
