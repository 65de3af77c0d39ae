import type { LlmClient } from './llm-client.js';

/*
 * Issue 12 (time to first token): the model is asked while bookkeeping that may still refuse the
 * answer runs beside it (generation.ts, the move to `streaming`); no text may reach the user
 * before that bookkeeping has landed.
 */

/**
 * `llm` whose streams are asked for at once but yield nothing before `ready` settles (see
 * `ConverseInput.ready`). When `ready` is falsy (`refused`) or rejects (`failed`), `end` is told
 * (it aborts the request) and the stream ends empty, or with `ready`'s rejection.
 */
export function heldUntil(
  llm: LlmClient,
  ready: Promise<unknown>,
  end: (reason: 'refused' | 'failed') => void,
): LlmClient {
  return {
    async *stream(request) {
      const chunks = llm.stream(request)[Symbol.asyncIterator]();
      // The request goes out now: an async generator runs up to its first chunk on `next()`.
      const first = chunks.next();
      first.catch(() => undefined);
      let finished = false;
      try {
        let go: unknown;
        try {
          go = await ready;
        } catch (error) {
          end('failed');
          throw error;
        }
        if (!go) {
          end('refused');
          return;
        }
        for (let next = await first; !next.done; next = await chunks.next()) yield next.value;
        finished = true;
      } finally {
        // Ended early (refused, failed, or the reader stopped reading): the model's stream is closed too.
        if (!finished) {
          await first.catch(() => undefined);
          await chunks.return?.();
        }
      }
    },
  };
}
