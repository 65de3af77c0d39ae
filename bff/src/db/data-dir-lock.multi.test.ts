import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BffProcess, startBff } from '../testing/multi-instance.js';
import type { DataDirHolder } from './data-dir-lock.js';

/*
 * Real BFF processes on one embedded (PGlite) data directory: in the multi-instance suite because
 * each start takes seconds, though it needs neither PostgreSQL nor Redis.
 */

const root = mkdtempSync(path.join(tmpdir(), 'atrium-lock-'));
const started: BffProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map((bff) => bff.kill('SIGKILL')));
  rmSync(root, { recursive: true, force: true });
});

function bffOn(dataDir: string): Promise<BffProcess> {
  return startBff({
    ATRIUM_DATA_DIR: dataDir,
    ATRIUM_SEED_LOCAL_REMOTES: 'false',
    ATRIUM_ADMIN_EMAIL: 'admin@atrium.test',
    ATRIUM_ADMIN_PASSWORD: 'a perfectly long admin password',
  }).then((bff) => {
    started.push(bff);
    return bff;
  });
}

/** A pid that just ended: nothing runs under it (pids are not reused this quickly). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

function holderOf(lockPath: string): DataDirHolder {
  return JSON.parse(readFileSync(lockPath, 'utf8')) as DataDirHolder;
}

describe('one BFF process per PGlite data directory', () => {
  it('refuses a second BFF on the directory, naming the holder; a clean stop frees it for the next', async () => {
    const dataDir = path.join(root, 'shared');
    const first = await bffOn(dataDir);

    const refused = await bffOn(dataDir).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(refused).toContain('exited with 1');
    expect(refused).toContain(`The data directory ${dataDir} is in use`);
    expect(refused).toContain(`pid ${first.child.pid} on host ${hostname()}, started 20`);

    await first.kill('SIGTERM');
    expect(first.child.exitCode).toBe(0);
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    const next = await bffOn(dataDir);
    expect(holderOf(`${dataDir}.lock`).pid).toBe(next.child.pid);
  });

  it('takes over a lock left by a process that no longer runs, and says so in the log', async () => {
    const dataDir = path.join(root, 'crashed');
    const lockPath = `${dataDir}.lock`;
    const gone: DataDirHolder = {
      pid: await deadPid(),
      host: hostname(),
      startedAt: '2030-01-01T00:00:00.000Z',
      bootId: null,
      processStart: null,
    };
    writeFileSync(lockPath, JSON.stringify(gone));

    const bff = await bffOn(dataDir);
    expect(holderOf(lockPath).pid).toBe(bff.child.pid);
    const log = bff.output.join('');
    expect(log).toContain('took over a stale data directory lock');
    expect(log).toContain(`pid ${gone.pid} no longer runs`);
  });
});
