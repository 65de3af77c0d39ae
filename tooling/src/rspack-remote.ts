import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModuleFederationPlugin } from '@module-federation/enhanced/rspack';
import { type Configuration, rspack } from '@rspack/core';
import { commonConfig, type Mode } from './rspack-common.js';
import { sharedSingletons } from './shared-singletons.js';

export interface RemoteFederation {
  /** Container name, e.g. `chat_core`: the global the entry registers under. */
  name: string;
  exposes: Record<string, string>;
}

/**
 * A remote builds to content-hashed files, `remoteEntry.js` (carrying the sha384 of every
 * chunk it may load) and `mf-manifest.json`. `publicPath: 'auto'` lets the same build be
 * served from any versioned URL.
 */
export function remoteConfig(mode: Mode, packageDir: string, federation: RemoteFederation): Configuration {
  const base = commonConfig(mode, packageDir);
  return {
    ...base,
    // A remote has no page of its own: its entry is remoteEntry.js.
    entry: {},
    output: {
      ...base.output,
      publicPath: 'auto',
      // One chunk-loading global per version: when a page switches chat-core 1.2.0 → 1.0.0 (a
      // rollback, or a fallback after a failed load), the new runtime must not adopt modules that
      // the old version's chunks pushed into a shared global.
      uniqueName: `${federation.name}_${remoteVersion(packageDir).replace(/\W/g, '_')}`,
    },
    plugins: [
      ...(base.plugins ?? []),
      new rspack.DefinePlugin({ __REMOTE_VERSION__: JSON.stringify(remoteVersion(packageDir)) }),
      new ModuleFederationPlugin({
        name: federation.name,
        filename: 'remoteEntry.js',
        exposes: federation.exposes,
        shared: sharedSingletons(packageDir),
        manifest: true,
        dts: false,
        // The shell provides the federation runtime; remotes are only ever loaded by it.
        experiments: { externalRuntime: true, optimization: { disableSnapshot: true, target: 'web' } },
      }),
    ],
  };
}

/**
 * The version a build is published as: the package's, unless a release pipeline builds another
 * (`ATRIUM_REMOTE_VERSION=1.1.0`). Remotes show it, so support can tell which build a user runs.
 */
function remoteVersion(packageDir: string): string {
  const fromEnv = process.env.ATRIUM_REMOTE_VERSION;
  if (fromEnv) return fromEnv;
  return (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
}
