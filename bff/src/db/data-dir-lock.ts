import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import type { Logger } from '../logger.js';

/*
 * Why not proper-lockfile: it judges staleness by the lock's mtime, which the holder must touch
 * every few seconds. A server whose event loop stalls or whose laptop sleeps longer than that is
 * declared "compromised" (and by default crashes: node-proper-lockfile#11, ipfs/js-ipfs-repo#188),
 * a crashed server blocks its own restart for the whole stale period, and the lock records no
 * owner to name in the error. A data directory is held for the life of one process, so the
 * question is "is that process still alive?", which the pid answers on this host at once.
 */

/** Who holds a data directory: what the lock file contains (JSON). */
const holderSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  /** ISO 8601, when the holder took the lock. */
  startedAt: z.string(),
  /** Linux: this kernel boot's id; a holder from another boot is gone. */
  bootId: z.string().nullable(),
  /** Linux: the holder's start time in clock ticks since boot (/proc/<pid>/stat field 22); tells a reused pid apart. */
  processStart: z.string().nullable(),
});
export type DataDirHolder = z.infer<typeof holderSchema>;

/** The directory is held by a process that is (or may be) alive: the start-up must stop. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly lockPath: string,
    readonly holder: DataDirHolder | null,
    detail: string,
  ) {
    super(`The data directory ${dataDir} is in use: ${detail}`);
  }
}

export interface DataDirLock {
  lockPath: string;
  /** Removes the lock file if it is still ours. Idempotent; also runs at process exit. */
  release(): void;
}

function readOptional(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces, so count after its ')'. */
function processStartOf(pid: number | 'self'): string | null {
  const stat = readOptional(`/proc/${pid}/stat`);
  if (!stat) return null;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

function currentHolder(now: Date): DataDirHolder {
  return {
    pid: process.pid,
    host: hostname(),
    startedAt: now.toISOString(),
    bootId: readOptional('/proc/sys/kernel/random/boot_id'),
    processStart: processStartOf('self'),
  };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Verdict = { alive: true; detail: string } | { alive: false; reason: string };

/** Whether the holder still runs, decided only from facts of this host; anything unknowable counts as alive. */
export function judgeHolder(holder: DataDirHolder, self: DataDirHolder = currentHolder(new Date())): Verdict {
  const named = `pid ${holder.pid} on host ${holder.host}, started ${holder.startedAt}`;
  if (holder.bootId && self.bootId && holder.bootId !== self.bootId && holder.host === self.host) {
    return { alive: false, reason: 'the machine has restarted since' };
  }
  if (holder.host !== self.host) {
    return { alive: true, detail: `held by ${named}, another host (its process cannot be checked from here)` };
  }
  if (!pidAlive(holder.pid)) return { alive: false, reason: `pid ${holder.pid} no longer runs` };
  const start = holder.processStart ? processStartOf(holder.pid) : null;
  if (start && start !== holder.processStart) {
    return { alive: false, reason: `pid ${holder.pid} now belongs to another process` };
  }
  return { alive: true, detail: `held by ${named}` };
}

/**
 * Takes `<dataDir>.lock` (beside the directory: PGlite refuses to create a database in a
 * directory that is not empty) so one process at a time opens an embedded database.
 *
 * The lock file appears with its whole content at once (written to a private file, then hard
 * linked into place, which fails if a lock exists). A lock whose holder is gone (pid not alive on
 * this host, reused by another process, or from before a reboot) is taken over and logged; the
 * stale file is first renamed aside and compared, so of two processes taking over at once only
 * one wins. Throws `DataDirLockedError` naming the holder (pid, host, start time) otherwise.
 */
export function lockDataDir(dataDir: string, options: { logger?: Pick<Logger, 'warn'>; now?: Date } = {}): DataDirLock {
  const lockPath = `${dataDir}.lock`;
  const mine = JSON.stringify(currentHolder(options.now ?? new Date()));
  const scratch = (kind: string) => `${lockPath}.${process.pid}.${randomBytes(6).toString('hex')}.${kind}`;

  const draft = scratch('new');
  try {
    const fd = openSync(draft, 'wx', 0o644);
    try {
      writeSync(fd, `${mine}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new Error(
      `Cannot create the lock file beside the data directory (${lockPath}): ${(error as Error).message}. ` +
        'Point ATRIUM_DATA_DIR at a folder whose parent is writable, e.g. a subfolder of the volume.',
    );
  }

  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(draft, lockPath);
        return held(lockPath, mine);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const text = readOptional(lockPath);
      if (text === null) continue;
      const parsed = holderSchema.safeParse(safeJson(text));
      if (!parsed.success) {
        throw new DataDirLockedError(
          dataDir,
          lockPath,
          null,
          `${lockPath} exists but is not an Atrium lock. If no Atrium runs on this directory, delete that file.`,
        );
      }
      const verdict = judgeHolder(parsed.data);
      if (verdict.alive) {
        throw new DataDirLockedError(
          dataDir,
          lockPath,
          parsed.data,
          `${verdict.detail}. Stop that process or set ATRIUM_DATA_DIR to another directory; ` +
            `if you are sure it no longer runs, delete ${lockPath}.`,
        );
      }
      const aside = scratch('stale');
      try {
        renameSync(lockPath, aside);
      } catch {
        continue; // Another process took it over first; look again.
      }
      if (readOptional(aside) !== text) {
        // A live lock replaced the stale one between our read and our rename: put it back.
        try {
          linkSync(aside, lockPath);
        } catch {}
        unlinkSync(aside);
        continue;
      }
      unlinkSync(aside);
      options.logger?.warn('took over a stale data directory lock', {
        dataDir,
        reason: verdict.reason,
        previous: parsed.data,
      });
    }
    throw new Error(`Could not take ${lockPath}: other processes keep changing it.`);
  } finally {
    unlinkSync(draft);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function held(lockPath: string, mine: string): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Only our own lock: if it was deleted by hand and someone else holds it now, theirs stays.
    if (readOptional(lockPath) === mine) unlinkSync(lockPath);
  };
  // A start-up that fails after locking, or an uncaught error, still frees the directory.
  process.on('exit', release);
  return { lockPath, release };
}
