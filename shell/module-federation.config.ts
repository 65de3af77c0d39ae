import { join } from 'node:path';
import { sharedSingletons } from '@atrium/tooling/shared-singletons';

/**
 * The shell is a host with no build-time remotes: which remote versions to load, and the
 * hash each entry must match, arrive at run time in the boot payload from the BFF.
 */
export const federation = {
  name: 'atrium_shell',
  remotes: {},
  shared: sharedSingletons(join(import.meta.dirname)),
  // `loaded-first` never fetches a remote entry just to negotiate shared versions, so a remote
  // that is down cannot block the shell from starting.
  shareStrategy: 'loaded-first' as const,
  manifest: true,
  dts: false,
  experiments: {
    // Remotes reuse this runtime instead of each shipping their own copy inside remoteEntry.js.
    provideExternalRuntime: true,
    // Remotes are registered with their entry URL, never through manifests: no snapshot code needed.
    optimization: { disableSnapshot: true, target: 'web' as const },
  },
};
