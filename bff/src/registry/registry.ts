import type { RemoteName, ServerEvent } from '@atrium/contracts';
import type { Clock } from '../clock.js';
import type { RegistryConfig } from '../config.js';
import type { Database } from '../db/index.js';
import type { Logger } from '../logger.js';
import { type ArtifactStore, createArtifactStore } from './artifacts.js';
import type { Fetch } from './external-origin.js';
import { createRemoteResolver, type RemoteResolver } from './resolve.js';

export type ReleaseChangedEvent = Extract<ServerEvent, { type: 'release.changed' }>;

/** The port to the event stream: the app wires it to the realtime broadcast log. */
export type PublishReleaseChanged = (event: ReleaseChangedEvent) => Promise<void>;

export interface Registry {
  db: Database;
  clock: Clock;
  logger: Logger;
  config: RegistryConfig;
  artifacts: ArtifactStore;
  resolver: RemoteResolver;
  fetch: Fetch;
  /** After a committed release change: drop this instance's cached map and tell every open shell. */
  releaseChanged(remote: RemoteName, reason: string): Promise<void>;
}

export function createRegistry(options: {
  db: Database;
  clock: Clock;
  logger: Logger;
  config: RegistryConfig;
  publishReleaseChanged: PublishReleaseChanged;
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
    async releaseChanged(remote, reason) {
      resolver.invalidate();
      try {
        await options.publishReleaseChanged({ type: 'release.changed', remote, reason });
      } catch (error) {
        // The change is committed; open shells pick it up on their next map refresh.
        options.logger.error('release.changed not broadcast', {
          remote,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    },
  };
}
