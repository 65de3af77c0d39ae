import type { RemoteName, ServerEvent } from '@atrium/contracts';
import type { Clock } from '../clock.js';
import type { RegistryConfig } from '../config.js';
import type { Database } from '../db/index.js';
import type { Logger } from '../logger.js';
import type { Bus } from '../realtime/bus.js';
import { withEvents } from '../realtime/event-log.js';
import { type ArtifactStore, createArtifactStore } from './artifacts.js';
import type { Fetch } from './external-origin.js';
import { createRemoteResolver, type RemoteResolver } from './resolve.js';

export type ReleaseChangedEvent = Extract<ServerEvent, { type: 'release.changed' }>;

/** Inside a release change's transaction: records `release.changed` for `remote` in the broadcast log. */
export type AnnounceReleaseChange = (remote: RemoteName, reason: string) => Promise<void>;

export interface Registry {
  db: Database;
  clock: Clock;
  logger: Logger;
  config: RegistryConfig;
  artifacts: ArtifactStore;
  resolver: RemoteResolver;
  fetch: Fetch;
  /**
   * Runs a release change in one transaction with its `release.changed` broadcast event
   * (`announce`): both commit or neither does, so a crash can't lose the event of a committed
   * change. After commit, the events are published, this instance's cached map is dropped
   * (other instances drop theirs on the event), and `onReleaseChanged` hears each one.
   */
  changeReleases<T>(work: (tx: Database, announce: AnnounceReleaseChange) => Promise<T>): Promise<T>;
}

export function createRegistry(options: {
  db: Database;
  bus: Bus;
  clock: Clock;
  logger: Logger;
  config: RegistryConfig;
  /** Hears every committed `release.changed` of this instance (tests record them). */
  onReleaseChanged?: (event: ReleaseChangedEvent) => void;
  fetch?: Fetch;
}): Registry {
  const resolver = createRemoteResolver(options.db, options.clock);
  return {
    db: options.db,
    clock: options.clock,
    logger: options.logger,
    config: options.config,
    artifacts: createArtifactStore(options.db),
    resolver,
    fetch: options.fetch ?? fetch,
    async changeReleases(work) {
      const announced: ReleaseChangedEvent[] = [];
      const result = await withEvents(options, (tx, emit) =>
        work(tx, async (remote, reason) => {
          const event: ReleaseChangedEvent = { type: 'release.changed', remote, reason };
          await emit.toEveryone(event);
          announced.push(event);
        }),
      );
      if (announced.length > 0) resolver.invalidate();
      for (const event of announced) options.onReleaseChanged?.(event);
      return result;
    },
  };
}
