import type { ServerEventStream } from '@atrium/contracts';
import { describe, expect, test } from 'vitest';
import { onFreshStream } from './use-live-events.js';

type State = ReturnType<ServerEventStream['state']>;

/** A stream whose connection state the test moves by hand. */
function fakeStream(initial: State) {
  let state = initial;
  const handlers = new Set<(state: State) => void>();
  const stream: ServerEventStream = {
    subscribe: () => () => undefined,
    state: () => state,
    onStateChange(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
  const move = (...states: State[]) => {
    for (const next of states) {
      state = next;
      for (const handler of handlers) handler(next);
    }
  };
  return { stream, move };
}

describe('a stream that opens fresh', () => {
  test('opening after the caller read (a slow /api/events) asks for a load; a reconnect that resumes does not', () => {
    const { stream, move } = fakeStream('connecting');
    let loads = 0;
    onFreshStream(stream, () => loads++);
    move('open');
    expect(loads).toBe(1);
    move('connecting', 'open');
    expect(loads).toBe(1);
    // Closed for good, then opened again: a new connection with no cursor.
    move('closed', 'connecting', 'open');
    expect(loads).toBe(2);
  });

  test('a stream already open when the caller subscribed resumes on reconnect: no load', () => {
    const { stream, move } = fakeStream('open');
    let loads = 0;
    const stop = onFreshStream(stream, () => loads++);
    move('connecting', 'open');
    expect(loads).toBe(0);
    stop();
    move('closed', 'open');
    expect(loads).toBe(0);
  });
});
