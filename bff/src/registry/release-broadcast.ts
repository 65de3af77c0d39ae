import type { Bus } from '../realtime/bus.js';
import { type EventDeps, publishBroadcast } from '../realtime/event-log.js';
import type { PublishReleaseChanged } from './registry.js';
import type { RemoteResolver } from './resolve.js';

/** `release.changed` goes into the broadcast log, so every open shell hears of it (and a reconnect replays it). */
export function broadcastReleaseChanges(deps: EventDeps): PublishReleaseChanged {
  return (event) => publishBroadcast(deps, event);
}

/** A release changed on another instance: this one's cached map is stale. */
export function invalidateOnReleaseChange(bus: Bus, resolver: RemoteResolver): Promise<() => void> {
  return bus.subscribe('broadcast', (message) => {
    if (message.kind === 'broadcast-event' && message.event.type === 'release.changed') resolver.invalidate();
  });
}
