import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type ArtifactFile, artifactFileSchema, builtVersionOf } from '@atrium/contracts';
import { CliError } from './errors.js';

export interface DistFile extends ArtifactFile {
  absolutePath: string;
}

/** Dotfiles are editor and OS litter; source maps stay with the team, they are not served. */
function published(name: string): boolean {
  return !name.startsWith('.') && !name.endsWith('.map');
}

async function walk(dir: string, prefix: string): Promise<{ relative: string; absolute: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const found: { relative: string; absolute: string }[] = [];
  for (const entry of entries) {
    if (!published(entry.name)) continue;
    const absolute = path.join(dir, entry.name);
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    const info = await stat(absolute);
    if (info.isDirectory()) found.push(...(await walk(absolute, relative)));
    else if (info.isFile()) found.push({ relative, absolute });
  }
  return found;
}

export async function sha384Hex(file: string): Promise<string> {
  const hash = createHash('sha384');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

/** Every file a build left in `dist`, with the sha384 and size the registry is told about, sorted by path. */
export async function listDistFiles(dist: string): Promise<DistFile[]> {
  const found = await walk(dist, '');
  found.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  const files: DistFile[] = [];
  for (const { relative, absolute } of found) {
    const { size } = await stat(absolute);
    const checked = artifactFileSchema.safeParse({ path: relative, sha384: await sha384Hex(absolute), size });
    if (!checked.success) {
      const problem = checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
      throw new CliError(`${relative} cannot be published (${problem}).`);
    }
    files.push({ ...checked.data, absolutePath: absolute });
  }
  return files;
}

/**
 * The version `dist` was built as: `metaData.buildInfo.buildVersion` of its `mf-manifest.json`
 * without the build id (`1.4.0+3f…` → `1.4.0`). Null when the build does not say (no manifest,
 * or one not written by Atrium's build preset).
 */
export async function readBuiltVersion(dist: string): Promise<string | null> {
  const text = await readFile(path.join(dist, 'mf-manifest.json'), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return builtVersionOf(JSON.parse(text));
  } catch {
    return null;
  }
}
