import type { ServerEvent, ServerEventStream } from '@atrium/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { followLiveSession, sessionPollMs } from './live-session.js';

type State = ReturnType<ServerEventStream['state']>;

function fakeStream(initial: State = 'open') {
  const handlers = new Set<(event: ServerEvent) => void>();
  let state = initial;
  return {
    subscribe: (handler: (event: ServerEvent) => void) => {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    state: () => state,
    setState: (next: State) => {
      state = next;
    },
    emit: (event: ServerEvent) => {
      for (const handler of handlers) handler(event);
    },
    handlerCount: () => handlers.size,
  };
}

/** A refresh the test finishes by hand, to see what happens while one is in flight. */
function manualRefresh() {
  const pending: (() => void)[] = [];
  const refresh = vi.fn(() => new Promise<void>((resolve) => pending.push(resolve)));
  return { refresh, finishOne: async () => pending.shift()?.(), pendingCount: () => pending.length };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

let visible: boolean;
let signedIn: boolean;
beforeEach(() => {
  vi.useFakeTimers();
  visible = true;
  signedIn = true;
});
afterEach(() => vi.useRealTimers());

describe('followLiveSession', () => {
  it('refetches /api/me on entitlement.updated and on flags.updated, and on nothing else', async () => {
    const events = fakeStream();
    const refresh = vi.fn(async () => undefined);
    followLiveSession({ events, refresh, signedIn: () => signedIn, visible: () => visible });
    events.emit({ type: 'entitlement.updated', userId: 'u1' });
    await flush();
    events.emit({ type: 'flags.updated', flag: 'new_composer' });
    await flush();
    events.emit({ type: 'resync' });
    events.emit({ type: 'session.ended', reason: 'revoked' });
    await flush();
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('never overlaps refreshes: a burst during one causes exactly one more', async () => {
    const events = fakeStream();
    const manual = manualRefresh();
    followLiveSession({ events, refresh: manual.refresh, signedIn: () => signedIn, visible: () => visible });
    events.emit({ type: 'entitlement.updated', userId: 'u1' });
    events.emit({ type: 'entitlement.updated', userId: 'u1' });
    events.emit({ type: 'flags.updated', flag: 'x' });
    expect(manual.refresh).toHaveBeenCalledTimes(1);
    await manual.finishOne();
    await flush();
    expect(manual.refresh).toHaveBeenCalledTimes(2);
    await manual.finishOne();
    await flush();
    expect(manual.refresh).toHaveBeenCalledTimes(2);
  });

  it('goes on after a failed refresh', async () => {
    const events = fakeStream();
    const refresh = vi.fn().mockRejectedValueOnce(new Error('offline')).mockResolvedValue(undefined);
    followLiveSession({ events, refresh, signedIn: () => signedIn, visible: () => visible });
    events.emit({ type: 'entitlement.updated', userId: 'u1' });
    await flush();
    events.emit({ type: 'entitlement.updated', userId: 'u1' });
    await flush();
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('does not poll while the stream is open', async () => {
    const events = fakeStream('open');
    const refresh = vi.fn(async () => undefined);
    followLiveSession({ events, refresh, signedIn: () => signedIn, visible: () => visible });
    await vi.advanceTimersByTimeAsync(sessionPollMs * 3);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('polls every 30 s while the stream is down, only signed in and visible', async () => {
    const events = fakeStream('connecting');
    const refresh = vi.fn(async () => undefined);
    followLiveSession({ events, refresh, signedIn: () => signedIn, visible: () => visible });
    await vi.advanceTimersByTimeAsync(sessionPollMs - 1);
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(1);
    events.setState('closed');
    await vi.advanceTimersByTimeAsync(sessionPollMs);
    expect(refresh).toHaveBeenCalledTimes(2);
    visible = false;
    await vi.advanceTimersByTimeAsync(sessionPollMs);
    visible = true;
    signedIn = false;
    await vi.advanceTimersByTimeAsync(sessionPollMs);
    expect(refresh).toHaveBeenCalledTimes(2);
    signedIn = true;
    events.setState('open');
    await vi.advanceTimersByTimeAsync(sessionPollMs);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('stops listening and polling when stopped', async () => {
    const events = fakeStream('closed');
    const refresh = vi.fn(async () => undefined);
    const stop = followLiveSession({ events, refresh, signedIn: () => signedIn, visible: () => visible });
    stop();
    expect(events.handlerCount()).toBe(0);
    events.emit({ type: 'entitlement.updated', userId: 'u1' });
    await vi.advanceTimersByTimeAsync(sessionPollMs * 2);
    expect(refresh).not.toHaveBeenCalled();
  });
});
