import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtVersionOf, containerCallback } from '@atrium/contracts';
import { type Configuration, rspack } from '@rspack/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIdPlaceholder } from './build-id.js';
import { remoteConfig } from './rspack-remote.js';

const repo = join(import.meta.dirname, '..', '..');

/** A remote of the real shape (one expose, a lazy chunk, the shared singletons) in a checkout of its own. */
let checkout: string;
let remoteDir: string;
beforeAll(() => {
  checkout = mkdtempSync(join(tmpdir(), 'atrium-build-id-'));
  remoteDir = join(checkout, 'remotes', 'sample');
  mkdirSync(join(remoteDir, 'src'), { recursive: true });
  for (const pkg of ['shared', 'contracts']) {
    mkdirSync(join(checkout, pkg));
    cpSync(join(repo, pkg, 'package.json'), join(checkout, pkg, 'package.json'));
  }
  const chatCore = JSON.parse(readFileSync(join(repo, 'remotes/chat-core/package.json'), 'utf8'));
  writeFileSync(
    join(remoteDir, 'package.json'),
    JSON.stringify({ name: '@atrium/sample', version: '1.0.0', dependencies: chatCore.dependencies }),
  );
  symlinkSync(join(repo, 'remotes/chat-core/node_modules'), join(remoteDir, 'node_modules'));
  writeFileSync(join(remoteDir, 'src/details.ts'), 'export const details = "more";\n');
  writeSource('Hello');
});
afterAll(() => rmSync(checkout, { recursive: true, force: true }));

function writeSource(greeting: string): void {
  writeFileSync(
    join(remoteDir, 'src/mount.ts'),
    `export const greeting = ${JSON.stringify(greeting)};\nexport const details = () => import('./details.js');\n`,
  );
}

let outputs = 0;
function configInto(mode: 'production' | 'development'): { config: Configuration; dist: string } {
  const dist = join(checkout, `dist-${outputs++}`);
  const config = remoteConfig(mode, remoteDir, { name: 'sample', exposes: { './mount': './src/mount.ts' } });
  return { config: { ...config, output: { ...config.output, path: dist } }, dist };
}

function build(mode: 'production' | 'development' = 'production'): Promise<string> {
  const { config, dist } = configInto(mode);
  const compiler = rspack(config);
  return new Promise((resolve, reject) =>
    compiler.run((error, stats) => {
      compiler.close(() => undefined);
      if (error || stats?.hasErrors()) reject(error ?? new Error(stats?.toString({ all: false, errors: true })));
      else resolve(dist);
    }),
  );
}

/** What the federation runtime tells builds apart by, as the built files carry it. */
function identity(dist: string) {
  const files = readdirSync(dist).sort();
  const scripts = files.filter((file) => file.endsWith('.js'));
  const text = (file: string) => readFileSync(join(dist, file), 'utf8');
  const entry = text('remoteEntry.js');
  const globals = new Set(scripts.flatMap((file) => text(file).match(/rspackChunk\w+/g) ?? []));
  const manifest = JSON.parse(text('mf-manifest.json'));
  return {
    files,
    /** The chunk-loading global of every script of the build. */
    globals: [...globals],
    buildVersion: manifest.metaData.buildInfo.buildVersion as string,
    builtVersion: builtVersionOf(manifest),
    /** The Module Federation instance id the entry looks itself up by. */
    instanceId: entry.match(/"sample:[^"]+"/)?.[0],
    handsOverContainer: entry.startsWith(`${containerCallback}(`) && !/\bvar sample\b/.test(entry),
    placeholderLeft: files.some((file) => text(file).includes(buildIdPlaceholder)),
    chunksPinnedByEntry: scripts
      .filter((file) => file !== 'remoteEntry.js')
      .every((file) =>
        entry.includes(
          `sha384-${createHash('sha384')
            .update(readFileSync(join(dist, file)))
            .digest('base64')}`,
        ),
      ),
  };
}

describe('every build of a remote is told apart by its content', () => {
  it('two builds of one version with different content get different chunk-loading globals and instance ids; the same content gets the same', async () => {
    writeSource('Hello');
    const first = identity(await build());
    const again = identity(await build());
    writeSource('Hello again');
    const changed = identity(await build());

    expect(first.globals).toEqual([expect.stringMatching(/^rspackChunksample_[0-9a-f]{16}$/)]);
    expect(first.buildVersion).toMatch(/^1\.0\.0\+[0-9a-f]{16}$/);
    expect(first.instanceId).toBe(`"sample:${first.buildVersion}"`);
    expect(first).toMatchObject({
      builtVersion: '1.0.0',
      handsOverContainer: true,
      placeholderLeft: false,
      chunksPinnedByEntry: true,
    });

    expect(again).toEqual(first);
    expect(changed.builtVersion).toBe('1.0.0');
    expect(changed.globals[0]).not.toBe(first.globals[0]);
    expect(changed.buildVersion).not.toBe(first.buildVersion);
    expect(changed).toMatchObject({ handsOverContainer: true, placeholderLeft: false, chunksPinnedByEntry: true });
  });

  it('a watch rebuild re-stamps every file, unchanged chunks too, with the id a fresh build of those sources gets', async () => {
    writeSource('Watching');
    const { config, dist } = configInto('development');
    const compiler = rspack(config);
    const builds: ReturnType<typeof identity>[] = [];
    await new Promise<void>((resolve, reject) => {
      const watching = compiler.watch({ aggregateTimeout: 50 }, (error, stats) => {
        if (error || stats?.hasErrors()) return reject(error ?? new Error(stats?.toString()));
        builds.push(identity(dist));
        if (builds.length === 1) writeSource('Watching, changed');
        else watching.close(() => resolve());
      });
    });
    compiler.close(() => undefined);
    const [before, after] = builds as [ReturnType<typeof identity>, ReturnType<typeof identity>];
    expect(after.globals).toHaveLength(1);
    expect(after.globals[0]).not.toBe(before.globals[0]);
    expect(after.placeholderLeft).toBe(false);

    const fresh = identity(await build('development'));
    expect(fresh.globals).toEqual(after.globals);
    expect(fresh.buildVersion).toBe(after.buildVersion);
  });
});
