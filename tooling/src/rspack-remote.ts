import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerCallback } from '@atrium/contracts';
import { ModuleFederationPlugin } from '@module-federation/enhanced/rspack';
import { type Configuration, rspack } from '@rspack/core';
import { BuildIdPlugin, buildIdPlaceholder } from './build-id.js';
import { commonConfig, type Mode } from './rspack-common.js';
import { sharedSingletons, sharedSplitChunks } from './shared-singletons.js';

export interface RemoteFederation {
  /** Container name, e.g. `chat_core`: what the shell registers the remote as (`containerName`). */
  name: string;
  exposes: Record<string, string>;
}

/**
 * A remote builds to content-hashed files, `remoteEntry.js` (carrying the sha384 of every
 * chunk it may load) and `mf-manifest.json`. `publicPath: 'auto'` lets the same build be
 * served from any versioned URL.
 *
 * Every build is told apart by its content, not its version (see "Several builds of one
 * remote in one page" in docs/decisions.md): its chunk-loading global and script keys
 * (`uniqueName`) and its Module Federation build version (`<version>+<build id>`, what
 * `mf-manifest.json` records as `metaData.buildInfo.buildVersion`) carry the build id, and the
 * entry hands its container to the shell's `containerCallback` instead of leaving it in a
 * global named after the remote.
 */
export function remoteConfig(mode: Mode, packageDir: string, federation: RemoteFederation): Configuration {
  const base = commonConfig(mode, packageDir);
  const version = remoteVersion(packageDir);
  // The federation plugin takes its build version from this variable only; the id is stamped in
  // by BuildIdPlugin once the build's content is known.
  process.env.MF_BUILD_VERSION = `${version}+${buildIdPlaceholder}`;
  return {
    ...base,
    // A remote has no page of its own: its entry is remoteEntry.js.
    entry: {},
    // A watch rebuild stamps a new build id into unchanged chunks too; rspack would skip writing
    // them (it compares chunk versions, not bytes) and leave the old build's id on disk.
    incremental: { emitAssets: false },
    optimization: { ...base.optimization, splitChunks: sharedSplitChunks() },
    output: {
      ...base.output,
      publicPath: 'auto',
      // One chunk-loading global per build: when a page switches from one build of chat-core to
      // another (a rollback, a fallback after a failed load, a rebuild of the same version), the
      // new runtime must not adopt modules, or script tags, that the old build left behind.
      uniqueName: `${federation.name}_${buildIdPlaceholder}`,
    },
    plugins: [
      ...(base.plugins ?? []),
      new BuildIdPlugin(),
      new rspack.DefinePlugin({ __REMOTE_VERSION__: JSON.stringify(version) }),
      new ModuleFederationPlugin({
        name: federation.name,
        filename: 'remoteEntry.js',
        // No global named after the remote that another build's late script could overwrite:
        // the entry calls the shell with its container (shell/src/federation/entry-script.ts).
        library: { type: 'jsonp', name: containerCallback },
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
