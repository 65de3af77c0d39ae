import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { findRemotePackage, headCommit } from './remote-package.js';
import { tempDir } from './test-harness.js';

const checkout = tempDir({
  'remotes/admin/package.json': JSON.stringify({ version: '2.3.4', atrium: { contract: 'admin@2' } }),
  'remotes/admin/src/routes/index.ts': '',
  'remotes/chat-core/package.json': JSON.stringify({ version: '1.0.0' }),
  'elsewhere/package.json': JSON.stringify({ version: '0.1.0' }),
});
afterAll(() => checkout.remove());

describe('findRemotePackage', () => {
  it('finds remotes/<name> from anywhere in the checkout', () => {
    for (const cwd of [checkout.dir, `${checkout.dir}/remotes/admin/src/routes`, `${checkout.dir}/remotes/chat-core`]) {
      expect(findRemotePackage('admin', cwd)).toEqual({
        dir: `${checkout.dir}/remotes/admin`,
        version: '2.3.4',
        contract: 'admin@2',
      });
    }
    expect(findRemotePackage('chat-core', checkout.dir)).toMatchObject({ version: '1.0.0', contract: null });
  });

  it('falls back to the current directory outside a checkout', () => {
    const cwd = `${checkout.dir}/elsewhere`;
    expect(findRemotePackage('upload-ui', cwd)).toEqual({ dir: cwd, version: '0.1.0', contract: null });
  });
});

describe('headCommit', () => {
  it('is the full sha inside a git checkout and null outside one', () => {
    const repo = tempDir({ 'a.txt': 'a' });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo.dir });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'first');
    expect(headCommit(repo.dir)).toBe(git('rev-parse', 'HEAD').toString().trim());
    expect(headCommit(`${checkout.dir}/elsewhere`)).toBeNull();
    repo.remove();
  });
});
