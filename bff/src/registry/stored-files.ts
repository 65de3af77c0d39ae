import type { RemoteName } from '@atrium/contracts';
import { and, eq } from 'drizzle-orm';
import { remoteVersions } from '../db/schema/index.js';
import type { Registry } from './registry.js';

/** A file of a version stored here (not yanked, not on an external origin), or null. */
export async function readStoredFile(
  registry: Registry,
  remote: RemoteName,
  version: string,
  filePath: string,
): Promise<Buffer | null> {
  const [row] = await registry.db
    .select({ files: remoteVersions.files, origin: remoteVersions.origin, status: remoteVersions.status })
    .from(remoteVersions)
    .where(and(eq(remoteVersions.remote, remote), eq(remoteVersions.version, version)));
  if (!row || row.origin !== null || row.status !== 'published') return null;
  const file = row.files.find((f) => f.path === filePath);
  return file ? registry.artifacts.get(file.sha384) : null;
}
