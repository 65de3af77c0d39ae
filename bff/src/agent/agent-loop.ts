import type { AnswerStep, Citation, Draft } from '@atrium/contracts';
import { eq } from 'drizzle-orm';
import type { LlmConfig } from '../config.js';
import type { Database } from '../db/index.js';
import { users } from '../db/schema/index.js';
import type { MaskAsker, MaskPolicy } from '../guardrails/output-mask.js';
import type { Logger } from '../logger.js';
import type { RetrievedPassage } from '../retrieval/search.js';
import type { ToolCaller, ToolGate } from '../tools/tool.js';
import type { AnswerLifecycle, AnswerRef } from './answer-lifecycle.js';
import { startDeadline } from './answer-limits.js';
import { checkCitations } from './answer-with-sources.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { type AnswerLimit, AnswerLimitReached, failureFor } from './failures.js';
import { heldUntil } from './held-stream.js';
import { type LlmClient, LlmError, type LlmTool, type LlmToolCall, type LlmTurn } from './llm-client.js';
import { costUsd } from './pricing.js';
import { type RetryPolicy, withRetries } from './retry.js';
import { estimateUsage, recordStoppedUsage } from './stopped-usage.js';
import { type AnswerProgress, Cut, createTurnStreamer, type Running } from './stream-turn.js';
import { awaitingNote, runToolCall, toolSpecs, toolUsePrompt } from './tool-steps.js';

export { type AnswerProgress, Cut, progressFrom, type Running } from './stream-turn.js';

/*
 * The agent loop (issue 10, item 3), split from generation.ts: one answer's turns with the model,
 * its tool calls as steps through the gate, and how it ends. generation.ts decides when a loop
 * starts (a new answer, or one resumed after its drafts were decided) and owns the running set.
 */

/** What an answer resumed after approval already holds: its stored (masked) text, citations and usage. */
export interface EarlierPart {
  content: string;
  citations: Citation[];
  promptTokens: number;
  completionTokens: number;
}

export interface LoopDeps {
  db: Database;
  config: LlmConfig;
  logger: Logger;
  llm: LlmClient;
  lifecycle: AnswerLifecycle;
  breaker: CircuitBreaker;
  retryPolicy: RetryPolicy;
  flushMs: number;
  /** Deltas shown since the last persist are stored together every this many ms (stream-turn.ts). */
  persistMs: number;
  gate: ToolGate | null;
  /** Output guardrail for streamed deltas; null: deltas go out as the model wrote them. */
  mask: MaskPolicy | null;
  /** Ends a running answer for good (its attempt is aborted). */
  cut(answerId: string): void;
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

/** The asker as a tool caller (role read now: a role taken away stops at once) and their email; null if gone. */
export async function askerOf(
  db: Database,
  userId: string,
): Promise<{ caller: ToolCaller; email: MaskAsker['email'] } | null> {
  const [asker] = await db.select({ role: users.role, email: users.email }).from(users).where(eq(users.id, userId));
  return asker ? { caller: { userId, role: asker.role }, email: asker.email } : null;
}

export interface ConverseInput {
  model: string;
  conversation: LlmTurn[];
  passages: readonly RetrievedPassage[];
  state: AnswerProgress;
  steps: AnswerStep[];
  /** Set when the answer resumes after approval: what it holds already. */
  earlier?: EarlierPart | null;
  /**
   * The answering agent's tool names (issue 11): only these of the asker's tools are offered, and
   * a call to any other is refused as unknown. Null or unset: every tool the asker may use.
   */
  tools?: readonly string[] | null;
  /** The asker as just read (`askerOf`) by the caller, so the first turn does not read it again; unset: read here. */
  asker?: Awaited<ReturnType<typeof askerOf>>;
  /** The tools offered, as `offeredTools` gave them to the caller (read beside other work); unset: read here. */
  offered?: LlmTool[];
  /**
   * Bookkeeping that runs beside the first model request (the move to `streaming`): the request
   * is sent at once, but no text reaches the user before it resolves. Truthy: go on; falsy: the
   * answer no longer runs (the attempt is aborted and the loop ends as cut); a rejection ends the
   * loop with it. Unset: nothing to wait for.
   */
  ready?: Promise<unknown>;
}

/**
 * The gate as one agent sees it: its tool list filters what the gate offers the caller, and a
 * call to a tool outside it is refused before the gate. The gate still decides everything else
 * (roles, approvals), so an agent's list never gives a caller a tool their role lacks.
 */
export function scopedGate(gate: ToolGate, names: readonly string[] | null | undefined): ToolGate {
  if (!names) return gate;
  const allowed = new Set(names);
  return {
    toolsFor: async (caller) => (await gate.toolsFor(caller)).filter((tool) => allowed.has(tool.name)),
    call: (caller, name, args, origin, signal) =>
      allowed.has(name)
        ? gate.call(caller, name, args, origin, signal)
        : Promise.resolve({ kind: 'refused', code: 'tool.unknown', message: `No tool named ${name}.` }),
    get: (name) => (allowed.has(name) ? gate.get(name) : Promise.resolve(null)),
  };
}

export function createAgentLoop(deps: LoopDeps) {
  const { config, logger, lifecycle, breaker, retryPolicy, db } = deps;

  function reachLimit(run: Running, limit: AnswerLimit): void {
    if (run.cut || run.limit) return;
    run.limit = limit;
    run.attempt.abort();
  }

  const streamOnce = createTurnStreamer(deps, reachLimit);

  /**
   * What the model is offered: none without a gate or steps; otherwise the tools the asker may
   * call or propose, of the answering agent's `tools` (null or unset: all of them).
   */
  async function offeredTools(
    tools: readonly string[] | null | undefined,
    caller: ToolCaller | null,
  ): Promise<LlmTool[]> {
    if (!deps.gate || config.maxSteps === 0 || !caller) return [];
    return toolSpecs(await scopedGate(deps.gate, tools).toolsFor(caller));
  }

  /**
   * The agent loop: streams a turn; when the model calls tools (and steps are left), each call
   * becomes a step through the gate and its quoted result goes back to the model for the next
   * turn. Past `ATRIUM_AGENT_MAX_STEPS` (counting a resumed answer's earlier steps) the model is
   * offered no tools. A write becomes a draft and the answer ends `awaiting_approval` saying so;
   * otherwise it ends `complete` (or `failed`). The text stored at the end is masked by the
   * lifecycle (output guardrail), which records the counts in that move's transaction.
   */
  async function converse(job: AnswerRef, run: Running, input: ConverseInput): Promise<void> {
    const { model, conversation, passages, state, steps } = input;
    const earlier = input.earlier ?? null;
    const gate = deps.gate ? scopedGate(deps.gate, input.tools) : null;
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
    const usage = { promptTokens: earlier?.promptTokens ?? 0, completionTokens: earlier?.completionTokens ?? 0 };
    const drafts: Draft[] = [];
    const shownText = () => (earlier?.content ?? '') + state.before + state.text;
    const ready = input.ready;
    const stream = ready
      ? createTurnStreamer(
          {
            ...deps,
            llm: heldUntil(deps.llm, ready, (reason) => {
              // Refused: the answer stopped meanwhile, so the loop ends as cut (as a stop does).
              if (reason === 'refused') run.cut = true;
              run.attempt.abort();
            }),
          },
          reachLimit,
        )
      : streamOnce;
    try {
      const asker = input.asker !== undefined ? input.asker : await askerOf(db, job.userId);
      const offered = input.offered ?? (await offeredTools(input.tools, asker?.caller ?? null));
      // The passages this answer was given: an address or number they quote is not masked (MaskAsker).
      const maskKnown = passages.map((passage) => passage.text);
      const maskAsker = asker ? { email: asker.email, known: maskKnown } : null;
      const system = conversation[0];
      if (offered.length > 0 && system?.role === 'system') {
        conversation[0] = { role: 'system', content: `${system.content}\n\n${toolUsePrompt}` };
      }
      for (;;) {
        const tools = steps.length < config.maxSteps ? offered : [];
        const result = await withRetries(
          () => stream(job, run, { model, messages: conversation, tools }, state, maskAsker),
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
          if (!(await lifecycle.move(job, 'calling_tool', { steps }, { maskKnown }))) throw new Cut();
          const origin = { via: 'chat' as const, chatId: job.chatId, answerId: job.answerId, stepId: call.id };
          const caller = (await askerOf(db, job.userId))?.caller ?? null;
          const done = await runToolCall(gate, caller, call, origin, run.attempt.signal);
          steps[steps.length - 1] = done.step;
          conversation.push(done.turn);
          if (done.draft) drafts.push(done.draft);
          if (run.cut) throw new Cut();
        }
        if (!(await lifecycle.move(job, 'calling_tool', { steps }, { maskKnown }))) throw new Cut();
        if (drafts.length > 0) break;
      }
      breaker.success();
      const cited = checkCitations(state.before, passages);
      if (cited.invalid > 0)
        logger.warn('answer cited passages it was not given', { answerId: job.answerId, invalid: cited.invalid });
      const said = drafts.length > 0 ? `${cited.text}${awaitingNote(drafts)}` : cited.text;
      const known = new Set(earlier?.citations.map((c) => c.n));
      await lifecycle.move(
        job,
        drafts.length > 0 ? 'awaiting_approval' : 'complete',
        {
          content: earlier ? earlier.content + said : drafts.length > 0 ? said.trimStart() : said,
          citations: [...(earlier?.citations ?? []), ...cited.citations.filter((c) => !known.has(c.n))],
          invalidCitations: cited.invalid,
          steps,
          ...usage,
          costUsd: costUsd(config.prices, model, usage),
        },
        { maskKnown },
      );
    } catch (error) {
      if (error instanceof Cut) {
        // Text the masker still held when the user stopped is kept too (masked), with the usage.
        await recordStoppedUsage({ db, lifecycle }, job, {
          model,
          prompt: conversation,
          prices: config.prices,
          tail: state.unwritten,
          tailSeq: state.unwrittenSeq,
        });
        return;
      }
      if (error instanceof AnswerLimitReached) {
        // A long answer is the provider working; one that never ends in time is the provider failing.
        if (error.limit === 'length') breaker.success();
        else breaker.failure();
        logger.warn('answer ended at its limit', { answerId: job.answerId, limit: error.limit });
        // The stream was cut, so the provider never reported usage: estimate what it billed.
        const estimated = estimateUsage(conversation, state.before + state.text);
        await lifecycle.move(
          job,
          'failed',
          {
            error: failureFor(error),
            // The text kept, stored once more whole so the output guardrail masks and counts it.
            content: shownText(),
            steps,
            ...estimated,
            costUsd: costUsd(config.prices, model, estimated),
          },
          { maskKnown: passages.map((passage) => passage.text) },
        );
        return;
      }
      if (!(error instanceof LlmError)) throw error;
      breaker.failure();
      const failure = failureFor(error);
      logger.warn('answer failed', { answerId: job.answerId, code: failure.code, cause: error.message });
      await lifecycle.move(
        job,
        'failed',
        { error: failure, content: shownText(), steps },
        { maskKnown: passages.map((passage) => passage.text) },
      );
    } finally {
      clearInterval(renew);
      deadline.clear();
    }
  }

  return { converse, reachLimit, offeredTools };
}
