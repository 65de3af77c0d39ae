import type { MaskAsker } from '../guardrails/output-mask.js';
import { createStreamMasker } from '../guardrails/stream-mask.js';
import type { LoopDeps } from './agent-loop.js';
import type { AnswerRef } from './answer-lifecycle.js';
import { fitText } from './answer-limits.js';
import { type AnswerLimit, AnswerLimitReached } from './failures.js';
import { type LlmClient, LlmError, type LlmToolCall } from './llm-client.js';

/*
 * One streamed turn of the agent loop (agent-loop.ts): the model's text as deltas, its tool
 * calls collected, the attempt's end checked (stopped, at a limit, stalled, empty).
 */

/** The answer ended on our side: stopped by the user, or ended elsewhere (deleted, swept, shutting down). */
export class Cut extends Error {
  override name = 'Cut';
}

/**
 * One running answer: its current attempt can be aborted; `cut` says whether that was for good,
 * `limit` whether the answer reached its deadline or length cap (it then fails, keeping its text).
 */
export interface Running {
  attempt: AbortController;
  cut: boolean;
  limit: AnswerLimit | null;
}

/**
 * What the attempts and rounds of one answer share: the next delta's seq (`firstSeq`: the first
 * this run writes), whether text was shown, the text of earlier rounds (before tool calls), the
 * current attempt's text, and `lead`: put before the first text this run shows (a resumed answer
 * separates its continuation from what it said before).
 */
export interface AnswerProgress {
  deltaSeq: number;
  firstSeq: number;
  shown: boolean;
  before: string;
  text: string;
  lead: string;
  /** Masked text whose delta was refused because the answer had stopped running (kept by a stop). */
  unwritten: string;
  /** The seq of the last delta in `unwritten`; null when it is empty. */
  unwrittenSeq: number | null;
}

/** A fresh progress record starting at delta `seq`. */
export const progressFrom = (seq: number, lead = ''): AnswerProgress => ({
  deltaSeq: seq,
  firstSeq: seq,
  shown: false,
  before: '',
  text: '',
  lead,
  unwritten: '',
  unwrittenSeq: null,
});

/**
 * The attempt function for one agent loop. `reachLimit` ends the answer at a limit (the loop's,
 * so the deadline and the length cap share it).
 */
export function createTurnStreamer(deps: LoopDeps, reachLimit: (run: Running, limit: AnswerLimit) => void) {
  const { config, logger, llm, lifecycle, flushMs, persistMs } = deps;

  /**
   * One attempt, on two cadences (issue 12, docs/decisions.md "Two cadences for a streamed
   * answer"): the first text goes out at once, then tokens are coalesced into a delta every
   * `flushMs` (ms), each shown live at once (`lifecycle.showDelta`, nothing written); the deltas
   * since the last persist are stored in one transaction (`lifecycle.appendDeltas`) every
   * `persistMs` (ms), right away for the first delta (it makes the answer `streaming`), and always
   * before the attempt returns, so before any move of the answer. With a mask policy, text passes
   * through a stream masker first (it holds back only a tail that could still become a secret), so
   * a key split across deltas is never shown or written in clear.
   */
  return async function streamOnce(
    job: AnswerRef,
    run: Running,
    request: Omit<Parameters<LlmClient['stream']>[0], 'signal'>,
    state: AnswerProgress,
    asker: MaskAsker | null,
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
    const masker = deps.mask ? createStreamMasker(deps.mask, asker) : null;
    let flushing = Promise.resolve();
    let flushTimer: NodeJS.Timeout | null = null;
    let persistTimer: NodeJS.Timeout | null = null;
    let stallTimer: NodeJS.Timeout | null = null;
    /** Deltas shown live and not yet handed to a persist. */
    let unpersisted: { seq: number; text: string }[] = [];

    const armStall = () => {
      if (stallTimer) clearTimeout(stallTimer);
      stallTimer = setTimeout(() => {
        stalled = true;
        run.attempt.abort();
      }, config.timeoutMs);
    };
    /** Stores the deltas shown since the last persist, after the persists before it (in order). */
    const persist = () => {
      if (persistTimer) clearTimeout(persistTimer);
      persistTimer = null;
      const batch = unpersisted;
      unpersisted = [];
      if (batch.length > 0) {
        flushing = flushing.then(async () => {
          if (await lifecycle.appendDeltas(job, batch)) return;
          // Refused: the answer no longer runs. A stop keeps this text after what was stored.
          state.unwritten += batch.map((delta) => delta.text).join('');
          state.unwrittenSeq = batch.at(-1)!.seq;
          deps.cut(job.answerId);
        });
        // A failed write surfaces where the attempt awaits the last flush, not as an unhandled rejection.
        flushing.catch(() => undefined);
      }
      return flushing;
    };
    const flush = () => {
      flushTimer = null;
      const piece = buffer;
      buffer = '';
      if (piece) {
        const seq = state.deltaSeq++;
        void lifecycle.showDelta(job, seq, piece);
        unpersisted.push({ seq, text: piece });
        // The first delta moves the answer to `streaming`: stored at once, the rest every persistMs.
        if (seq === state.firstSeq) persist();
        else persistTimer ??= setTimeout(persist, persistMs);
      }
      return flushing;
    };

    armStall();
    try {
      for await (const chunk of llm.stream({ ...request, signal: run.attempt.signal })) {
        armStall();
        if (chunk.type === 'text') {
          const room = config.answerMaxChars - state.before.length - state.text.length;
          let piece = fitText(chunk.text, room);
          const limited = piece.length < chunk.text.length;
          if (piece && state.lead) {
            piece = state.lead + piece;
            state.lead = '';
          }
          state.text += piece;
          buffer += masker ? masker.push(piece) : piece;
          if (piece) {
            state.shown = true;
            // The first token is what the user waits for: it goes out at once, the rest in batches.
            if (state.deltaSeq === state.firstSeq) void flush();
            else flushTimer ??= setTimeout(flush, flushMs);
          }
          if (limited) {
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
      if (masker) buffer += masker.end();
      flush();
      await persist();
    }
    if (run.cut) throw new Cut();
    if (run.limit) throw new AnswerLimitReached(run.limit);
    if (stalled) throw new LlmError('timeout', `no data for ${config.timeoutMs} ms`);
    // Only [DONE], a body that is not the streaming protocol, or only a tool call not offered: nothing to show.
    if (state.text.trim() === '' && calls.length === 0) {
      throw new LlmError('malformed', toolCallsNoted ? 'the reply was only a tool call' : 'the reply had no text');
    }
    return { text: state.text, usage, calls };
  };
}
