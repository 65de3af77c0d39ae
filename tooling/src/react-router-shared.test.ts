import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  reactRouterAlias,
  reactRouterPackageDir,
  reactRouterSharedModule,
  sharedSingletons,
  singletonPackages,
} from './shared-singletons.js';

const repo = join(import.meta.dirname, '..', '..');
const builds = ['shell', ...readdirSync(join(repo, 'remotes')).map((name) => `remotes/${name}`)];

/** Every source file of the federated builds and of @atrium/shared, tests aside. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sources(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function namesImportedFromReactRouter(): Set<string> {
  const names = new Set<string>();
  for (const dir of [...builds, 'shared'].map((build) => join(repo, build, 'src'))) {
    for (const file of sources(dir)) {
      for (const [, list] of readFileSync(file, 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*'react-router'/g)) {
        for (const name of list!.split(',')) {
          const imported = name
            .trim()
            .replace(/^type\s+/, '')
            .split(/\s+as\s+/)[0]!;
          if (imported && !name.trim().startsWith('type ')) names.add(imported);
        }
      }
    }
  }
  return names;
}

describe('react-router is shared as the names the builds use', () => {
  it('the shared module exports every name a build imports from react-router, and no other', () => {
    const exported = /export\s*\{([^}]*)\}\s*from\s*'react-router-package'/
      .exec(readFileSync(reactRouterSharedModule, 'utf8'))![1]!
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    const imported = namesImportedFromReactRouter();
    expect(imported.size).toBeGreaterThan(0);
    expect(exported.sort()).toEqual([...imported].sort());
  });

  it('every build provides and consumes the same react-router singleton, at the installed version', () => {
    for (const build of builds) {
      const shared = sharedSingletons(join(repo, build));
      const { version } = JSON.parse(
        readFileSync(join(reactRouterPackageDir(join(repo, build)), 'package.json'), 'utf8'),
      );
      expect(Object.keys(shared).sort(), build).toEqual([...singletonPackages].sort());
      expect(shared['react-router'], build).toEqual({
        singleton: true,
        strictVersion: false,
        requiredVersion: `^${version}`,
        version,
      });
      expect(shared.react, build).toMatchObject({ singleton: true });
      expect(reactRouterAlias(join(repo, build))['react-router$'], build).toBe(reactRouterSharedModule);
    }
  });
});
