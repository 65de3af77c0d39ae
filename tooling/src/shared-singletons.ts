import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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

export function sharedSingletons(packageDir: string) {
  const consumer = readPackageJson(packageDir);
  const root = join(packageDir, packageDir.includes('/remotes/') ? '../..' : '..');
  return Object.fromEntries(
    singletonPackages.map((pkg) => [
      pkg,
      { singleton: true, requiredVersion: requiredVersionOf(pkg, consumer, root), strictVersion: false },
    ]),
  );
}
