import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DataDirHolder, DataDirLockedError, judgeHolder, lockDataDir } from './data-dir-lock.js';

const root = mkdtempSync(path.join(tmpdir(), 'atrium-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('judging a lock holder', () => {
  const self: DataDirHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    bootId: 'boot-a',
    processStart: null,
  };

  it('a live pid on this host holds it; the same pid under another process start does not', () => {
    expect(judgeHolder(self, self).alive).toBe(true);
    // This test process's pid, recorded with a start time it never had: the pid was reused.
    expect(judgeHolder({ ...self, processStart: '1' }, self)).toEqual({
      alive: false,
      reason: `pid ${process.pid} now belongs to another process`,
    });
  });

  it('a holder from before a reboot is gone; one on another host cannot be judged and counts as alive', () => {
    expect(judgeHolder({ ...self, bootId: 'boot-b' }, self).alive).toBe(false);
    const elsewhere = judgeHolder({ ...self, host: 'other-host', bootId: 'boot-b' }, self);
    expect(elsewhere).toMatchObject({ alive: true });
  });

  it('refuses a second lock in the same process and releases only its own', () => {
    const dataDir = path.join(root, 'in-process');
    const lock = lockDataDir(dataDir);
    expect(() => lockDataDir(dataDir)).toThrow(DataDirLockedError);
    lock.release();
    expect(existsSync(lock.lockPath)).toBe(false);
    lockDataDir(dataDir).release();
  });
});
