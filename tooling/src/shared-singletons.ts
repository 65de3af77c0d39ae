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
 * The module each build provides as `react-router` (react-router-shared.js): the names the
 * builds use, re-exported from the package, so the shared singleton is tree-shaken.
 */
export const reactRouterSharedModule = join(import.meta.dirname, 'react-router-shared.js');

/** The request react-router-shared.js imports the real package by (see `reactRouterPackageAlias`). */
export const reactRouterPackageRequest = 'react-router-package';

/** The installed react-router's folder, as the build in `packageDir` resolves it. */
export function reactRouterPackageDir(packageDir: string): string {
  return dirname(createRequire(join(packageDir, 'package.json')).resolve('react-router/package.json'));
}

/**
 * `resolve.alias` entry that points `react-router-package` at the installed package. The folder,
 * not the package name: a folder is resolved by its `module` field (the ES build, which is
 * tree-shaken), and the request never matches the `react-router` share key.
 */
export function reactRouterPackageAlias(packageDir: string): Record<string, string> {
  return { [`${reactRouterPackageRequest}$`]: reactRouterPackageDir(packageDir) };
}

/**
 * Shared-module config of every singleton for the build in `packageDir`. Each is a singleton
 * with the consumer's range and `strictVersion: false`; `react-router` is provided as
 * {@link reactRouterSharedModule} under its own share key and the package's installed version,
 * so older builds that provide or consume the whole package still negotiate with it.
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
      return [pkg, { ...config, import: reactRouterSharedModule, shareKey: pkg, version }];
    }),
  );
}
