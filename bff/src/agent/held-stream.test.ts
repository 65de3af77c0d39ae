import { describe, expect, it } from 'vitest';
import { heldUntil } from './held-stream.js';
import type { LlmChunk, LlmClient, LlmRequest } from './llm-client.js';

/** A model port that records when it was asked and whether its stream was closed, yielding `texts`. */
function recordingLlm(texts: string[]) {
  const seen = { asked: 0, closed: false, yielded: 0 };
  const llm: LlmClient = {
    async *stream(_request: LlmRequest): AsyncGenerator<LlmChunk> {
      seen.asked++;
      try {
        for (const text of texts) {
          seen.yielded++;
          yield { type: 'text', text };
        }
      } finally {
        seen.closed = true;
      }
    },
  };
  return { llm, seen };
}

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

const request = { model: 'm', messages: [], signal: new AbortController().signal } satisfies LlmRequest;
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('a model stream held until the bookkeeping beside it has landed', () => {
  it('asks the model at once but yields nothing before `ready`, then every chunk in order', async () => {
    const { llm, seen } = recordingLlm(['first', ' second']);
    const ready = deferred<boolean>();
    const ends: string[] = [];
    const chunks = heldUntil(llm, ready.promise, (reason) => ends.push(reason))
      .stream(request)
      [Symbol.asyncIterator]();
    const firstRead = chunks.next();
    let shown = false;
    void firstRead.then(() => {
      shown = true;
    });
    await tick();
    expect(seen.asked).toBe(1);
    expect(shown).toBe(false);
    ready.resolve(true);
    expect(await firstRead).toEqual({ done: false, value: { type: 'text', text: 'first' } });
    expect(await chunks.next()).toEqual({ done: false, value: { type: 'text', text: ' second' } });
    expect((await chunks.next()).done).toBe(true);
    expect(ends).toEqual([]);
  });

  it('refused (`ready` falsy): says so, shows nothing and closes the model’s stream', async () => {
    const { llm, seen } = recordingLlm(['first', ' second']);
    const ends: string[] = [];
    const shown: LlmChunk[] = [];
    for await (const chunk of heldUntil(llm, Promise.resolve(null), (reason) => ends.push(reason)).stream(request)) {
      shown.push(chunk);
    }
    expect(seen.asked).toBe(1);
    expect(shown).toEqual([]);
    expect(ends).toEqual(['refused']);
    expect(seen.closed).toBe(true);
    expect(seen.yielded).toBe(1);
  });

  it('failed (`ready` rejects): says so and ends with that error, having shown nothing', async () => {
    const { llm, seen } = recordingLlm(['first']);
    const ends: string[] = [];
    const shown: LlmChunk[] = [];
    const read = async () => {
      for await (const chunk of heldUntil(llm, Promise.reject(new Error('move failed')), (reason) =>
        ends.push(reason),
      ).stream(request)) {
        shown.push(chunk);
      }
    };
    await expect(read()).rejects.toThrow('move failed');
    expect(shown).toEqual([]);
    expect(ends).toEqual(['failed']);
    expect(seen.closed).toBe(true);
  });

  it('closes the model’s stream when its reader stops early', async () => {
    const { llm, seen } = recordingLlm(['a', 'b', 'c']);
    for await (const chunk of heldUntil(llm, Promise.resolve(true), () => undefined).stream(request)) {
      if (chunk.type === 'text' && chunk.text === 'a') break;
    }
    expect(seen.closed).toBe(true);
    expect(seen.yielded).toBe(1);
  });
});
