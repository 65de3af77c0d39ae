import type { Bus, BusChannel, BusHandler } from './bus.js';

/** One process, no Redis: delivery is a function call (deferred, as it would be over the network). */
export function createInProcessBus(): Bus {
  const handlers = new Map<BusChannel, Set<BusHandler>>();
  return {
    async publish(channel, message) {
      const targets = handlers.get(channel);
      if (!targets) return;
      // Copy first: a handler may unsubscribe while we iterate.
      for (const handler of [...targets]) queueMicrotask(() => handler(message));
    },
    async subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
      }
      set.add(handler);
      return () => {
        set.delete(handler);
        if (set.size === 0 && handlers.get(channel) === set) handlers.delete(channel);
      };
    },
    async close() {
      handlers.clear();
    },
  };
}
