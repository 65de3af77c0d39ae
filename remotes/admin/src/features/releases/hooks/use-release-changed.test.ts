import type { ServerEvent, ServerEventStream } from '@atrium/contracts';
import { describe, expect, test } from 'vitest';
import { followReleases } from './use-release-changed.js';

type State = ReturnType<ServerEventStream['state']>;

function fakeStream(initial: State) {
  let state = initial;
  const stateHandlers = new Set<(state: State) => void>();
  const eventHandlers = new Set<(event: ServerEvent) => void>();
  const stream: ServerEventStream = {
    subscribe(handler) {
      eventHandlers.add(handler);
      return () => eventHandlers.delete(handler);
    },
    state: () => state,
    onStateChange(handler) {
      stateHandlers.add(handler);
      return () => stateHandlers.delete(handler);
    },
  };
  return {
    stream,
    move(...states: State[]) {
      for (const next of states) {
        state = next;
        for (const handler of stateHandlers) handler(next);
      }
    },
    send(event: ServerEvent) {
      for (const handler of eventHandlers) handler(event);
    },
  };
}

describe('when the release view reads again', () => {
  test('on a change to its remote, on resync, and when the stream opens fresh after the view read', () => {
    const { stream, move, send } = fakeStream('connecting');
    let reads = 0;
    followReleases(stream, 'chat-core', () => reads++);
    move('open');
    expect(reads).toBe(1);
    send({ type: 'release.changed', remote: 'admin', reason: 'promoted' });
    send({ type: 'release.changed', remote: 'chat-core', reason: 'promoted' });
    expect(reads).toBe(2);
    send({ type: 'resync' });
    expect(reads).toBe(3);
    // A reconnect resumes from its cursor: nothing was missed.
    move('connecting', 'open');
    expect(reads).toBe(3);
  });
});
