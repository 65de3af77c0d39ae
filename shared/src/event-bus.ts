import type { BusEventName, BusEvents, EventBus } from '@atrium/contracts';

/** An in-page typed bus. The shell creates one and hands it to every remote. */
export function createEventBus(): EventBus {
  const handlers = new Map<BusEventName, Set<(payload: never) => void>>();
  return {
    emit(type, payload) {
      for (const handler of handlers.get(type) ?? []) (handler as (p: typeof payload) => void)(payload);
    },
    on(type, handler) {
      const set = handlers.get(type) ?? new Set();
      handlers.set(type, set);
      set.add(handler as (payload: never) => void);
      return () => set.delete(handler as (payload: never) => void);
    },
  };
}

export type { BusEvents };
