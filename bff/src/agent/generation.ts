import type { AgentStatus, AnswerStep, Draft } from '@atrium/contracts';
import { eq } from 'drizzle-orm';
import { findChat, findMessage, messagesBefore } from '../chats/repository.js';
import type { AnswerRunner } from '../chats/service.js';
import type { LlmConfig } from '../config.js';
import { type MessageRow, users } from '../db/schema/index.js';
import type { Reader } from '../documents/access.js';
import type { Logger } from '../logger.js';
import type { EventDeps } from '../realtime/event-log.js';
import type { RetrievedPassage, Retriever } from '../retrieval/search.js';
import type { ToolCaller, ToolGate } from '../tools/tool.js';
import { type AnswerPatch, type AnswerStatus, createAnswerLifecycle } from './answer-lifecycle.js';
import { fitText, startDeadline } from './answer-limits.js';
import { checkCitations, retrievalOnlyAnswer, sourcesPrompt } from './answer-with-sources.js';
import { createCircuitBreaker } from './circuit-breaker.js';
import { type AnswerLimit, AnswerLimitReached, failureFor } from './failures.js';
import { type LlmClient, LlmError, type LlmTool, type LlmToolCall, type LlmTurn } from './llm-client.js';
import { chooseModel } from './model-choice.js';
import { costUsd } from './pricing.js';
import { defaultProfile, profileFor } from './profiles.js';
import { type RetryPolicy, sleep, withRetries } from './retry.js';
import { standingTurns } from './standing-turns.js';
import { estimateUsage, recordStoppedUsage } from './stopped-usage.js';
import { fitHistory } from './token-budget.js';
import { awaitingNote, runToolCall, toolSpecs, toolUsePrompt } from './tool-steps.js';

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
  /** The tool gate (bff/src/tools/gate.ts); null or unset: the model is offered no tools. */
  tools?: ToolGate | null;
}

/** A call as a step while it runs: its arguments parsed when they are JSON, else as the model sent them. */
function runningStep(call: LlmToolCall): AnswerStep {
  let args: unknown = call.arguments;
  try {
    args = JSON.parse(call.arguments);
  } catch {
    // Shown as sent; the gate refuses it as `tool.invalid_arguments`.
  }
  return { id: call.id, tool: call.name, arguments: args, status: 'running', summary: null, draftId: null };
}

/** Step ids are unique within an answer: a call id the model already used in it gets a suffix. */
function uniqueIds(calls: readonly LlmToolCall[], steps: readonly AnswerStep[]): LlmToolCall[] {
  const used = new Set(steps.map((step) => step.id));
  return calls.map((call, n) => {
    const id = used.has(call.id) ? `${call.id}_${steps.length + n + 1}` : call.id;
    used.add(id);
    return { ...call, id };
  });
}

export interface Agent extends AnswerRunner {
  status(): AgentStatus;
  /** Resolves when this instance generates nothing (tests, shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

type Job = Parameters<AnswerRunner['start']>[0];

/** The answer ended on our side: stopped by the user, or ended elsewhere (deleted, swept, shutting down). */
class Cut extends Error {
  override name = 'Cut';
}

/**
 * One running answer: its current attempt can be aborted; `cut` says whether that was for good,
 * `limit` whether the answer reached its deadline or length cap (it then fails, keeping its text).
 */
interface Running {
  attempt: AbortController;
  cut: boolean;
  limit: AnswerLimit | null;
}

/**
 * What the attempts and rounds of one answer share: the next delta's seq, whether text was shown,
 * the text of earlier rounds (before tool calls) and the current attempt's text.
 */
interface AnswerProgress {
  deltaSeq: number;
  shown: boolean;
  before: string;
  text: string;
}

export function createAgent(options: AgentOptions): Agent {
  const { config, logger, llm, clock, bus, db } = options;
  const gate = options.tools ?? null;
  const breaker = createCircuitBreaker({ ...config.breaker, clock });
  const retryPolicy: RetryPolicy = {
    maxRetries: config.maxRetries,
    baseDelayMs: 500,
    maxDelayMs: 20_000,
    sleep,
    random: Math.random,
    ...options.retry,
  };
  const flushMs = options.flushMs ?? 50;
  const lifecycle = createAnswerLifecycle({ db, bus, clock, leaseMs: config.answerLeaseMs });
  const running = new Map<string, Running>();
  const jobs = new Set<Promise<void>>();

  const control = bus.subscribe('control', (message) => {
    if (message.kind === 'stop-answer') cut(message.answerId);
  });
  control.catch((error: Error) => logger.warn('control channel unavailable', { error: error.message }));

  function cut(answerId: string): void {
    const run = running.get(answerId);
    if (!run) return;
    run.cut = true;
    run.attempt.abort();
  }

  function reachLimit(run: Running, limit: AnswerLimit): void {
    if (run.cut || run.limit) return;
    run.limit = limit;
    run.attempt.abort();
  }

  async function finish(job: Job, to: AnswerStatus, patch: AnswerPatch): Promise<void> {
    await lifecycle.move(job, to, patch);
  }

  function answerRetrievalOnly(
    job: Job,
    question: string,
    passages: readonly RetrievedPassage[],
    reason: 'no_model' | 'unavailable',
  ): Promise<void> {
    const answer = retrievalOnlyAnswer(question, passages, reason);
    return finish(job, 'complete', {
      mode: 'retrieval_only',
      model: null,
      content: answer.text,
      citations: answer.citations,
    });
  }

  /**
   * The passages for the question this answer replies to, searched as the asker — their role
   * read now, so a role taken away since the question was asked no longer reads what it gave.
   * A failing search answers from nothing rather than failing the answer.
   */
  async function retrieve(job: Job, answer: MessageRow): Promise<{ question: string; passages: RetrievedPassage[] }> {
    const question = answer.replyTo ? ((await findMessage(db, job.userId, answer.replyTo))?.content ?? '') : '';
    if (!options.retriever || question.trim() === '') return { question, passages: [] };
    try {
      const [asker] = await db.select({ role: users.role }).from(users).where(eq(users.id, job.userId));
      if (!asker) return { question, passages: [] };
      const reader: Reader = { userId: job.userId, role: asker.role };
      return { question, passages: await options.retriever.search(reader, question) };
    } catch (error) {
      logger.warn('knowledge base search failed; answering without passages', {
        answerId: job.answerId,
        error: (error as Error).message,
      });
      return { question, passages: [] };
    }
  }

  async function buildPrompt(job: Job, answer: MessageRow, passages: readonly RetrievedPassage[]): Promise<LlmTurn[]> {
    const chat = await findChat(db, job.userId, job.chatId);
    const earlier = await messagesBefore(db, job.userId, job.chatId, answer.position);
    const turns = standingTurns(answer.replyTo, earlier);
    const sources = sourcesPrompt(passages);
    for (const [n, signals] of sources.flagged) {
      // Guardrail (input, retrieved text): the passage still goes to the model, quoted and flagged.
      logger.warn('guardrail: instructions inside a retrieved passage', {
        answerId: job.answerId,
        chunkId: passages[n - 1]?.chunkId,
        signals,
      });
    }
    const profile = profileFor(chat?.profile ?? defaultProfile);
    const system: LlmTurn = { role: 'system', content: `${profile.systemPrompt}\n\n${sources.text}` };
    return fitHistory(system, turns, config.historyTokenBudget);
  }

  /** Appends a piece of text to the answer and logs it as a delta, only while the answer still runs. */
  function writeDelta(job: Job, text: string, seq: number): Promise<boolean> {
    return lifecycle.appendText(job, text, seq);
  }

  /** One attempt: streams the first text at once, then coalesces tokens into a delta event every `flushMs`. */
  async function streamOnce(
    job: Job,
    run: Running,
    request: Omit<Parameters<LlmClient['stream']>[0], 'signal'>,
    state: AnswerProgress,
  ) {
    run.attempt = new AbortController();
    if (run.cut) throw new Cut();
    if (run.limit) throw new AnswerLimitReached(run.limit);
    state.text = '';
    let buffer = '';
    let usage: { promptTokens: number; completionTokens: number } | null = null;
    let stalled = false;
    let toolCallsNoted = false;
    const calls: LlmToolCall[] = [];
    const offered = (request.tools?.length ?? 0) > 0;
    let flushing = Promise.resolve();
    let flushTimer: NodeJS.Timeout | null = null;
    let stallTimer: NodeJS.Timeout | null = null;

    const armStall = () => {
      if (stallTimer) clearTimeout(stallTimer);
      stallTimer = setTimeout(() => {
        stalled = true;
        run.attempt.abort();
      }, config.timeoutMs);
    };
    const flush = () => {
      flushTimer = null;
      const piece = buffer;
      buffer = '';
      if (piece) {
        const seq = state.deltaSeq++;
        flushing = flushing.then(async () => {
          if (!(await writeDelta(job, piece, seq))) cut(job.answerId);
        });
        // A failed write surfaces where the attempt awaits the last flush, not as an unhandled rejection.
        flushing.catch(() => undefined);
      }
      return flushing;
    };

    armStall();
    try {
      for await (const chunk of llm!.stream({ ...request, signal: run.attempt.signal })) {
        armStall();
        if (chunk.type === 'text') {
          const piece = fitText(chunk.text, config.answerMaxChars - state.before.length - state.text.length);
          state.text += piece;
          buffer += piece;
          if (piece) {
            state.shown = true;
            // The first token is what the user waits for: it goes out at once, the rest in batches.
            if (state.deltaSeq === 0) void flush();
            else flushTimer ??= setTimeout(flush, flushMs);
          }
          if (piece.length < chunk.text.length) {
            reachLimit(run, 'length');
            break;
          }
        } else if (chunk.type === 'usage') {
          usage = { promptTokens: chunk.promptTokens, completionTokens: chunk.completionTokens };
        } else if (offered) {
          calls.push({ id: chunk.id, name: chunk.name, arguments: chunk.arguments });
        } else if (!toolCallsNoted) {
          toolCallsNoted = true;
          logger.info('the model asked for a tool it was not offered, so the answer is its text', {
            answerId: job.answerId,
            tool: chunk.name,
          });
        }
      }
    } finally {
      if (stallTimer) clearTimeout(stallTimer);
      if (flushTimer) clearTimeout(flushTimer);
      await flush();
    }
    if (run.cut) throw new Cut();
    if (run.limit) throw new AnswerLimitReached(run.limit);
    if (stalled) throw new LlmError('timeout', `no data for ${config.timeoutMs} ms`);
    // Only [DONE], a body that is not the streaming protocol, or only a tool call not offered: nothing to show.
    if (state.text.trim() === '' && calls.length === 0) {
      throw new LlmError('malformed', toolCallsNoted ? 'the reply was only a tool call' : 'the reply had no text');
    }
    return { text: state.text, usage, calls };
  }

  async function generate(job: Job, run: Running): Promise<void> {
    const answer = await findMessage(db, job.userId, job.answerId);
    if (answer?.status !== 'pending' || !(await lifecycle.move(job, 'retrieving'))) return;
    const { question, passages } = await retrieve(job, answer);
    if (!llm) return answerRetrievalOnly(job, question, passages, 'no_model');
    if (!breaker.tryAcquire()) return answerRetrievalOnly(job, question, passages, 'unavailable');

    const prompt = await buildPrompt(job, answer, passages);
    const model = chooseModel(config.models, prompt.slice(1));
    if (!(await lifecycle.move(job, 'streaming', { mode: 'llm', model }))) return;
    await converse(job, run, {
      model,
      conversation: prompt,
      passages,
      state: { deltaSeq: 0, shown: false, before: '', text: '' },
      steps: [],
    });
  }

  /** The asker as a tool caller, their role read now (a role taken away stops at once); null if they are gone. */
  async function callerOf(userId: string): Promise<ToolCaller | null> {
    const [asker] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId));
    return asker ? { userId, role: asker.role } : null;
  }

  /** What the model is offered: none without a gate or steps; otherwise the tools the asker may call or propose. */
  async function offeredTools(job: Job): Promise<LlmTool[]> {
    if (!gate || config.maxSteps === 0) return [];
    const caller = await callerOf(job.userId);
    return caller ? toolSpecs(await gate.toolsFor(caller)) : [];
  }

  /**
   * The agent loop: streams a turn; when the model calls tools (and steps are left), each call
   * becomes a step through the gate and its quoted result goes back to the model for the next
   * turn. Past `ATRIUM_AGENT_MAX_STEPS` the model is offered no tools. A write becomes a draft and
   * the answer ends `awaiting_approval` saying so; otherwise it ends `complete` (or `failed`).
   */
  async function converse(
    job: Job,
    run: Running,
    input: {
      model: string;
      conversation: LlmTurn[];
      passages: readonly RetrievedPassage[];
      state: AnswerProgress;
      steps: AnswerStep[];
    },
  ): Promise<void> {
    const { model, conversation, passages, state, steps } = input;
    const renew = setInterval(
      () => {
        lifecycle
          .renewLease(job.answerId)
          .catch((error: Error) =>
            logger.warn('lease renewal failed', { answerId: job.answerId, error: error.message }),
          );
      },
      Math.max(100, Math.floor(config.answerLeaseMs / 3)),
    );
    // The deadline covers every attempt and the waits between them.
    const deadline = startDeadline(config.answerDeadlineMs, () => reachLimit(run, 'deadline'));
    const usage = { promptTokens: 0, completionTokens: 0 };
    const drafts: Draft[] = [];
    try {
      const offered = await offeredTools(job);
      const system = conversation[0];
      if (offered.length > 0 && system?.role === 'system') {
        conversation[0] = { role: 'system', content: `${system.content}\n\n${toolUsePrompt}` };
      }
      for (;;) {
        const tools = steps.length < config.maxSteps ? offered : [];
        const result = await withRetries(
          () => streamOnce(job, run, { model, messages: conversation, tools }, state),
          { ...retryPolicy, sleep: (ms) => Promise.race([retryPolicy.sleep(ms), deadline.passed]) },
          // Once text reached the user, a second attempt would contradict it: fail instead.
          () => !state.shown && !run.cut,
        );
        const used = result.usage ?? estimateUsage(conversation, result.text);
        usage.promptTokens += used.promptTokens;
        usage.completionTokens += used.completionTokens;
        state.before += result.text;
        state.text = '';
        const calls = uniqueIds(result.calls, steps).slice(0, config.maxSteps - steps.length);
        if (!gate || calls.length === 0) break;
        conversation.push({ role: 'assistant', content: result.text, toolCalls: calls });
        for (const call of calls) {
          steps.push(runningStep(call));
          if (!(await lifecycle.move(job, 'calling_tool', { steps }))) throw new Cut();
          const origin = { via: 'chat' as const, chatId: job.chatId, answerId: job.answerId, stepId: call.id };
          const done = await runToolCall(gate, await callerOf(job.userId), call, origin, run.attempt.signal);
          steps[steps.length - 1] = done.step;
          conversation.push(done.turn);
          if (done.draft) drafts.push(done.draft);
          if (run.cut) throw new Cut();
        }
        if (!(await lifecycle.move(job, 'calling_tool', { steps }))) throw new Cut();
        if (drafts.length > 0) break;
      }
      breaker.success();
      const cited = checkCitations(state.before, passages);
      if (cited.invalid > 0)
        logger.warn('answer cited passages it was not given', { answerId: job.answerId, invalid: cited.invalid });
      await finish(job, drafts.length > 0 ? 'awaiting_approval' : 'complete', {
        content: drafts.length > 0 ? `${cited.text}${awaitingNote(drafts)}`.trimStart() : cited.text,
        citations: cited.citations,
        invalidCitations: cited.invalid,
        steps,
        ...usage,
        costUsd: costUsd(config.prices, model, usage),
      });
    } catch (error) {
      if (error instanceof Cut) {
        await recordStoppedUsage({ db, lifecycle }, job, { model, prompt: conversation, prices: config.prices });
        return;
      }
      if (error instanceof AnswerLimitReached) {
        // A long answer is the provider working; one that never ends in time is the provider failing.
        if (error.limit === 'length') breaker.success();
        else breaker.failure();
        logger.warn('answer ended at its limit', { answerId: job.answerId, limit: error.limit });
        // The stream was cut, so the provider never reported usage: estimate what it billed.
        const estimated = estimateUsage(conversation, state.before + state.text);
        await finish(job, 'failed', {
          error: failureFor(error),
          steps,
          ...estimated,
          costUsd: costUsd(config.prices, model, estimated),
        });
        return;
      }
      if (!(error instanceof LlmError)) throw error;
      breaker.failure();
      const failure = failureFor(error);
      logger.warn('answer failed', { answerId: job.answerId, code: failure.code, cause: error.message });
      await finish(job, 'failed', { error: failure, steps });
    } finally {
      clearInterval(renew);
      deadline.clear();
    }
  }

  const agent: Agent = {
    leaseMs: config.answerLeaseMs,
    start(job) {
      const run: Running = { attempt: new AbortController(), cut: false, limit: null };
      running.set(job.answerId, run);
      const task = generate(job, run)
        .catch(async (error: Error) => {
          logger.error('answer generation crashed', {
            answerId: job.answerId,
            error: error.message,
            stack: error.stack,
          });
          await finish(job, 'failed', { error: failureFor(error) }).catch(() => undefined);
        })
        .finally(() => {
          running.delete(job.answerId);
          jobs.delete(task);
        });
      jobs.add(task);
    },
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
    async close() {
      for (const answerId of running.keys()) cut(answerId);
      await agent.idle();
      (await control.catch(() => () => undefined))();
    },
  };
  return agent;
}
