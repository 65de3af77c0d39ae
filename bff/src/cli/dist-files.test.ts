import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { listDistFiles, sha384Hex } from './dist-files.js';
import { CliError } from './errors.js';
import { tempDir } from './test-harness.js';

const sha384 = (text: string) => createHash('sha384').update(text).digest('hex');
const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

describe('listDistFiles', () => {
  it('hashes every published file with sha384 hex, nested paths with /, sorted', async () => {
    const dist = tempDir({
      'remoteEntry.js': 'var chat_core = {};',
      'static/js/chunk.js': 'export {};',
      'static/css/app.css': '',
      'mf-manifest.json': '{}',
      'mf-stats.json': '{}',
    });
    dirs.push(dist);
    expect((await listDistFiles(dist.dir)).map(({ path, sha384, size }) => ({ path, sha384, size }))).toEqual([
      { path: 'mf-manifest.json', sha384: sha384('{}'), size: 2 },
      { path: 'mf-stats.json', sha384: sha384('{}'), size: 2 },
      { path: 'remoteEntry.js', sha384: sha384('var chat_core = {};'), size: 19 },
      { path: 'static/css/app.css', sha384: sha384(''), size: 0 },
      { path: 'static/js/chunk.js', sha384: sha384('export {};'), size: 10 },
    ]);
  });

  it('leaves out dotfiles, dot-directories and source maps', async () => {
    const dist = tempDir({
      'remoteEntry.js': 'x',
      'remoteEntry.js.map': '{}',
      '.DS_Store': 'x',
      '.cache/thing.js': 'x',
      'static/js/a.js.map': '{}',
    });
    dirs.push(dist);
    expect((await listDistFiles(dist.dir)).map((file) => file.path)).toEqual(['remoteEntry.js']);
  });

  it('refuses a file name the registry cannot store', async () => {
    const dist = tempDir({ 'remoteEntry.js': 'x', 'static/my file.js': 'x' });
    dirs.push(dist);
    await expect(listDistFiles(dist.dir)).rejects.toThrow(CliError);
    await expect(listDistFiles(dist.dir)).rejects.toThrow('static/my file.js cannot be published');
  });

  it('streams large files through the hash', async () => {
    const big = 'a'.repeat(3 * 1024 * 1024);
    const dist = tempDir({ 'big.js': big });
    dirs.push(dist);
    expect(await sha384Hex(`${dist.dir}/big.js`)).toBe(sha384(big));
  });
});
