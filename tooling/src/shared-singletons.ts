import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The packages every federated build shares as singletons. One list for the host and every
 * remote, so a package can never be a singleton in one build and a private copy in another.
 */
export const singletonPackages = [
  'react',
  'react-dom',
  'react-dom/client',
  'react/jsx-runtime',
  'react-router',
  'i18next',
  'react-i18next',
  'zustand',
  'zod',
  '@atrium/shared',
  '@atrium/contracts',
] as const;

interface PackageJson {
  dependencies?: Record<string, string>;
  version?: string;
}

function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** Workspace packages have no published range: share them at their own version. */
function requiredVersionOf(pkg: string, consumer: PackageJson, root: string): string {
  const base = pkg.startsWith('@') ? pkg.split('/').slice(0, 2).join('/') : pkg.split('/')[0]!;
  const declared = consumer.dependencies?.[base];
  if (!declared) throw new Error(`${base} must be a dependency to be shared`);
  if (declared.startsWith('workspace:')) {
    const folder = base === '@atrium/shared' ? 'shared' : 'contracts';
    return `^${readPackageJson(join(root, folder)).version}`;
  }
  // Builds pin exact versions; the runtime accepts any compatible minor from another build.
  return declared.startsWith('^') ? declared : `^${declared}`;
}

/**
 * The module each build resolves `react-router` to (react-router-shared.js): the names the
 * builds use, re-exported from the package, so the shared singleton is tree-shaken.
 */
export const reactRouterSharedModule = join(import.meta.dirname, 'react-router-shared.js');

/** The installed react-router's folder, as the build in `packageDir` resolves it. */
export function reactRouterPackageDir(packageDir: string): string {
  return dirname(createRequire(join(packageDir, 'package.json')).resolve('react-router/package.json'));
}

/**
 * `resolve.alias` of every build: `react-router` is react-router-shared.js, which imports the
 * installed package as `react-router-package`. Module Federation matches the `react-router`
 * request before it is resolved, so the shared module, provided and consumed, is the narrow one;
 * its own import never matches the share key. The package folder, not its name: a folder is
 * resolved by its `module` field, the ES build, which is tree-shaken.
 */
export function reactRouterAlias(packageDir: string): Record<string, string> {
  return { 'react-router$': reactRouterSharedModule, 'react-router-package$': reactRouterPackageDir(packageDir) };
}

/**
 * `optimization.splitChunks` for a federated build: react-router-shared.js and the package modules
 * it re-exports go to one async chunk. Left to the defaults, the tiny re-export module was copied
 * into two chunks of its own (one for the provided module, one for the consume fallback), each
 * a request of ~0.3 KB beside the package's chunk.
 */
export function sharedSplitChunks() {
  return {
    cacheGroups: {
      reactRouter: {
        test: /[\\/](react-router-shared\.js|react-router[\\/]dist[\\/])/,
        name: 'react-router',
        chunks: 'async' as const,
        enforce: true,
      },
    },
  };
}

/**
 * Shared-module config of every singleton for the build in `packageDir`. Each is a singleton
 * with the consumer's range and `strictVersion: false`. `react-router` resolves to
 * {@link reactRouterSharedModule} (see {@link reactRouterAlias}), whose own package.json is not
 * react-router's: it is provided at the installed package's version, so builds that provide or
 * consume the whole package negotiate with it as before.
 * Throws when a singleton is not a dependency of the package.
 */
export function sharedSingletons(packageDir: string) {
  const consumer = readPackageJson(packageDir);
  const root = join(packageDir, packageDir.includes('/remotes/') ? '../..' : '..');
  return Object.fromEntries(
    singletonPackages.map((pkg) => {
      const config = { singleton: true, requiredVersion: requiredVersionOf(pkg, consumer, root), strictVersion: false };
      if (pkg !== 'react-router') return [pkg, config];
      const { version } = readPackageJson(reactRouterPackageDir(packageDir));
      return [pkg, { ...config, version }];
    }),
  );
}
