import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import {
  createDeployTokenResponseSchema,
  publishResponseSchema,
  publishStartResponseSchema,
  type RemoteName,
  type RemoteVersion,
} from '@atrium/contracts';
import { keyIdOf, signRelease } from '../../bff/src/registry/release-signature.js';
import type { ApiSession } from './api-session.js';

const root = join(import.meta.dirname, '..', '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/**
 * Publishes a remote's local build (`remotes/<name>/dist`) as `version`, the way the CLI does:
 * an admin creates a deploy token, then the token declares the files, uploads the blobs the
 * registry lacks (sha384 hex, application/octet-stream) and commits. With `signingKey` (an ed25519
 * private key registered for the remote) it signs the release as `atrium remote publish --signing-key` does.
 */
export async function publishLocalBuild(
  baseUrl: string,
  admin: ApiSession,
  remote: RemoteName,
  version: string,
  contract = `${remote}@1`,
  signingKey?: KeyObject,
): Promise<RemoteVersion> {
  const { secret } = createDeployTokenResponseSchema.parse(
    await admin.request('POST', '/api/registry/tokens', { remote, name: `${remote} e2e` }),
  );
  const dist = join(root, 'remotes', remote, 'dist');
  const files = filesUnder(dist).map((file) => {
    const bytes = readFileSync(file);
    const sha384 = createHash('sha384').update(bytes).digest('hex');
    return { path: relative(dist, file).split(sep).join('/'), sha384, size: bytes.length, bytes };
  });

  const call = async (method: string, path: string, body: BodyInit, contentType = 'application/json') => {
    const response = await fetch(baseUrl + path, {
      method,
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': contentType },
      body,
    });
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${await response.text()}`);
    return response.status === 204 ? null : ((await response.json()) as unknown);
  };

  const declared = files.map(({ path, sha384, size }) => ({ path, sha384, size }));
  const start = publishStartResponseSchema.parse(
    await call(
      'POST',
      `/api/registry/remotes/${remote}/publish`,
      JSON.stringify({
        version,
        contract,
        files: declared,
        signature: signingKey
          ? {
              keyId: keyIdOf(createPublicKey(signingKey)),
              value: signRelease(signingKey, {
                remote,
                version,
                contract,
                gitCommit: null,
                gitDirty: false,
                entry: 'remoteEntry.js',
                files: declared,
              }),
            }
          : null,
      }),
    ),
  );
  for (const file of files.filter((f) => start.missing.includes(f.sha384))) {
    await call('PUT', `/api/registry/blobs/${file.sha384}`, new Uint8Array(file.bytes), 'application/octet-stream');
  }
  const committed = publishResponseSchema.parse(
    await call('POST', `/api/registry/remotes/${remote}/publish/commit`, JSON.stringify({ uploadId: start.uploadId })),
  );
  return committed.version;
}
