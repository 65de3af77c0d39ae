import type { Bus } from '../realtime/bus.js';
import type { RemoteResolver } from './resolve.js';

/** A release changed on another instance: this one's cached map is stale. */
export function invalidateOnReleaseChange(bus: Bus, resolver: RemoteResolver): Promise<() => void> {
  return bus.subscribe('broadcast', (message) => {
    if (message.kind === 'broadcast-event' && message.event.type === 'release.changed') resolver.invalidate();
  });
}
