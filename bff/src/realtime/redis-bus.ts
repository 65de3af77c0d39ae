import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { Bus, BusChannel, BusHandler, BusMessage } from './bus.js';

const prefix = 'atrium:';
const subscribeWaitMs = 2_000;

/**
 * Redis pub/sub across instances: one publishing and one subscribing connection per process,
 * a Redis channel subscribed only while some local stream needs it. If Redis is down we log and
 * keep serving: events are in the database, and streams catch up from it.
 */
export function createRedisBus(url: string, logger: Logger): Bus {
  // Fail fast instead of queueing while disconnected: a late publish is worse than a gap the log fills.
  const publisher = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  const subscriber = new Redis(url, { maxRetriesPerRequest: null });
  const handlers = new Map<string, Set<BusHandler>>();
  let lastError = '';
  const onError = (error: Error) => {
    // ioredis retries forever; say so once per distinct error, not once per retry.
    if (error.message === lastError) return;
    lastError = error.message;
    logger.warn('redis unavailable', { error: error.message });
  };
  publisher.on('error', onError);
  subscriber.on('error', onError);
  subscriber.on('ready', () => {
    lastError = '';
  });
  subscriber.on('message', (channel: string, text: string) => {
    const targets = handlers.get(channel);
    if (!targets) return;
    let message: BusMessage;
    try {
      message = JSON.parse(text) as BusMessage;
    } catch {
      logger.warn('unreadable bus message', { channel });
      return;
    }
    for (const handler of [...targets]) handler(message);
  });

  return {
    async publish(channel: BusChannel, message: BusMessage) {
      try {
        await publisher.publish(prefix + channel, JSON.stringify(message));
      } catch (error) {
        onError(error as Error);
      }
    },
    async subscribe(channel: BusChannel, handler: BusHandler) {
      const key = prefix + channel;
      let set = handlers.get(key);
      const first = !set;
      if (!set) {
        set = new Set();
        handlers.set(key, set);
      }
      set.add(handler);
      if (first) {
        // Redis down must not hold a stream open forever: after a moment, go on and rely on the log.
        const subscribed = subscriber.subscribe(key).catch((error: Error) => onError(error));
        await Promise.race([subscribed, new Promise((resolve) => setTimeout(resolve, subscribeWaitMs).unref())]);
      }
      return () => {
        if (!set.delete(handler) || set.size > 0 || handlers.get(key) !== set) return;
        handlers.delete(key);
        subscriber.unsubscribe(key).catch((error: Error) => onError(error));
      };
    },
    async close() {
      handlers.clear();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
