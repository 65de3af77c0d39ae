import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { DataDirLockedError } from './data-dir-lock.js';
import { openDatabase } from './index.js';

const root = mkdtempSync(path.join(tmpdir(), 'atrium-open-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('a symlink or a `..` spelling of a held data directory meets the same lock', async () => {
  const dataDir = path.join(root, 'data');
  const first = await openDatabase({ driver: 'pglite', dataDir });
  try {
    symlinkSync(dataDir, path.join(root, 'link'));
    await expect(openDatabase({ driver: 'pglite', dataDir: path.join(root, 'link') })).rejects.toBeInstanceOf(
      DataDirLockedError,
    );
    await expect(
      openDatabase({ driver: 'pglite', dataDir: path.join(root, 'elsewhere', '..', 'data') }),
    ).rejects.toBeInstanceOf(DataDirLockedError);
  } finally {
    await first.close();
  }
});
