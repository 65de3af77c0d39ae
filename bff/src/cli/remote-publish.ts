import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  publishRequestSchema,
  publishResponseSchema,
  publishStartResponseSchema,
  type RemoteName,
  remoteNameSchema,
} from '@atrium/contracts';
import { z } from 'zod';
import { signRelease } from '../registry/release-signature.js';
import { defineCommand, parseInput, remoteName } from './args.js';
import { blobsToUpload, uploadBlobs } from './blob-upload.js';
import { type CliContext, resolveServer, serverOption } from './context.js';
import { type DistFile, listDistFiles, readBuiltVersion } from './dist-files.js';
import { CliError, UsageError } from './errors.js';
import { ApiClient } from './http.js';
import { createProgress, formatBytes } from './progress.js';
import { findRemotePackage, headCommit } from './remote-package.js';
import { readSession, signedInClient } from './session-store.js';
import { loadSigningKey, workTreeDirty } from './signing.js';
import { formatTable } from './table.js';

const command = 'remote publish';
const entry = 'remoteEntry.js';
const uploadConcurrency = 4;
/** A stored blob is answered with 204 No Content. */
const blobStoredSchema = z.object({});

async function assertBuilt(dist: string, name: RemoteName): Promise<void> {
  const build = `run pnpm --filter @atrium/${name} build first`;
  const info = await stat(dist).catch(() => null);
  if (!info?.isDirectory())
    throw new CliError(`No build of ${name} at ${dist}: ${build}.`, ['Or point at one with --dist.']);
  const entryInfo = await stat(path.join(dist, entry)).catch(() => null);
  if (!entryInfo?.isFile()) throw new CliError(`${dist} has no ${entry}: ${build}.`);
}

/**
 * The version a remote shows is baked in when it is built, so a build is published only as the
 * version it was built as. Exit 1 (CliError) when they differ; a warning when the build does not say.
 */
async function assertBuiltAs(ctx: CliContext, dist: string, name: RemoteName, version: string): Promise<void> {
  const built = await readBuiltVersion(dist);
  if (built === null) {
    ctx.stderr.write(
      `Warning: ${dist} does not say which version it was built as (no buildVersion in mf-manifest.json); make sure it was built after the version was set to ${version}.\n`,
    );
    return;
  }
  if (built === version) return;
  throw new CliError(
    `${dist} was built as ${name} ${built}, not ${version}: the version is baked into the build (the remote shows it), so it can't be published as ${version}.`,
    [
      `Set the version, build, then publish: "version": "${version}" in remotes/${name}/package.json,`,
      `pnpm --filter @atrium/${name} build, atrium remote publish ${name}.`,
      `Or publish this build as what it is: --version ${built}.`,
    ],
  );
}

/** A deploy token when there is one, else the signed-in session (admin or ops may publish too). */
function publishingClient(
  ctx: CliContext,
  values: { token: string | undefined; server: string | undefined },
): ApiClient {
  const token = values.token ?? ctx.env.deployToken;
  const session = readSession(ctx.env.configDir);
  if (token)
    return new ApiClient({ server: resolveServer(values.server, ctx.env, session?.server ?? null, command), token });
  if (!session) {
    throw new CliError('Publishing needs a deploy token or a signed-in admin or ops session.', [
      'Pass --token or set ATRIUM_DEPLOY_TOKEN (an admin creates one: atrium token create <remote> --name <label>),',
      'or run atrium login --server <url> --email you@example.com',
    ]);
  }
  return signedInClient(ctx, values.server, command);
}

function printPlan(ctx: CliContext, files: readonly DistFile[]): void {
  ctx.stdout.write(
    formatTable(
      ['PATH', 'SIZE', 'SHA384'],
      files.map((file) => [file.path, formatBytes(file.size), `${file.sha384.slice(0, 16)}…`]),
    ),
  );
}

export const publishCommand = defineCommand({
  name: command,
  summary: 'Publish a built remote as a new, immutable version.',
  details: [
    'Hashes every file of the build (sha384) except dotfiles and source maps, uploads those the registry\n' +
      'lacks, then commits. Defaults: --dist is remotes/<name>/dist of the checkout around the current\n' +
      'directory, else ./dist; the version comes from that package.json, the contract from its\n' +
      '"atrium": { "contract" } (else <name>@1), the git sha from `git rev-parse HEAD`.',
    'Refuses a build made as another version than the one published (mf-manifest.json buildVersion):\n' +
      'the version is baked into the build, so set it, build, then publish.',
    'Authenticates with --token or ATRIUM_DEPLOY_TOKEN (a deploy token for this remote), else with the\n' +
      'session of `atrium login` (ops or admin). A version is published once; to change it, publish another.',
    'Signing: with --signing-key or ATRIUM_SIGNING_KEY (the ed25519 private key <name>.pem that\n' +
      '`atrium keys generate` wrote, <name> being atrium-signing unless --name; its public key <name>.pub.pem\n' +
      'registered for the remote) it signs the remote, version, contract, git commit, entry and\n' +
      'every file hash; the registry verifies it and records the signer. A work tree with uncommitted changes\n' +
      'is not refused: it warns and the version records (and signs) gitDirty: true.',
  ],
  positionals: [{ name: 'name', description: `the remote: ${remoteNameSchema.options.join(', ')}` }],
  options: {
    dist: { type: 'string', value: 'dir', description: 'the build output to publish' },
    version: { type: 'string', value: 'semver', description: 'the version to publish (default: package.json)' },
    contract: { type: 'string', value: 'id', description: 'the mount contract it implements, e.g. chat-core@1' },
    'git-sha': { type: 'string', value: 'sha', description: 'the commit it was built from' },
    origin: { type: 'string', value: 'url', description: 'serve the files from this allow-listed origin, not the BFF' },
    token: { type: 'string', value: 'secret', description: 'deploy token (default: ATRIUM_DEPLOY_TOKEN)' },
    'signing-key': {
      type: 'string',
      value: 'file',
      description:
        'the private key <name>.pem that atrium keys generate wrote, not <name>.pub.pem (default: ATRIUM_SIGNING_KEY; unsigned without either)',
    },
    'dry-run': { type: 'boolean', description: 'hash and list the files, send nothing' },
    server: serverOption,
  },
  async run({ values, args }, ctx) {
    const name = remoteName(args.name, command);
    const remote = findRemotePackage(name, ctx.cwd);
    const dist = values.dist ? path.resolve(ctx.cwd, values.dist) : path.join(remote.dir, 'dist');
    await assertBuilt(dist, name);
    const version = values.version ?? remote.version;
    if (!version) {
      throw new UsageError(
        `No version: pass --version, or run from a checkout with remotes/${name}/package.json.`,
        command,
      );
    }
    const files = await listDistFiles(dist);
    const keyFile = values['signing-key'] ?? ctx.env.signingKey ?? null;
    const signingKey = keyFile ? loadSigningKey(ctx, keyFile) : null;
    // An explicit --git-sha is the publisher's word; HEAD is checked for uncommitted changes.
    const gitDirty = values['git-sha'] ? false : workTreeDirty(remote.dir) === true;
    const request = parseInput(
      publishRequestSchema,
      {
        version,
        contract: values.contract ?? remote.contract ?? `${name}@1`,
        gitSha: values['git-sha'] ?? headCommit(remote.dir),
        gitDirty,
        entry,
        files: files.map(({ path, sha384, size }) => ({ path, sha384, size })),
        origin: values.origin ?? null,
      },
      command,
    );
    await assertBuiltAs(ctx, dist, name, request.version);
    if (gitDirty) {
      ctx.stderr.write(
        `Warning: ${remote.dir} has uncommitted changes: the version records gitDirty (the commit ${request.gitSha?.slice(0, 10) ?? '?'} is not the whole source).\n`,
      );
    }
    if (signingKey) {
      request.signature = {
        keyId: signingKey.keyId,
        value: signRelease(signingKey.privateKey, {
          remote: name,
          version: request.version,
          contract: request.contract,
          gitCommit: request.gitSha,
          gitDirty: request.gitDirty,
          entry: request.entry,
          files: request.files,
        }),
      };
    }
    const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
    const what = `${name} ${request.version} (${request.contract}): ${files.length} files, ${formatBytes(totalBytes)}`;

    if (values['dry-run']) {
      ctx.stdout.write(
        `Would publish ${what} from ${dist}, ${signingKey ? `signed with key ${signingKey.keyId}` : 'unsigned'}.\n`,
      );
      printPlan(ctx, files);
      return;
    }

    const client = publishingClient(ctx, values);
    const base = `/api/registry/remotes/${encodeURIComponent(name)}/publish`;
    ctx.stderr.write(
      `Publishing ${what} to ${client.server.origin}, ${signingKey ? `signed with key ${signingKey.keyId}` : 'unsigned'}.\n`,
    );
    const start = await client.post(base, publishStartResponseSchema, request);
    const blobs = blobsToUpload(files, start.missing);
    if (blobs.length === 0) ctx.stderr.write('The registry already has every file; nothing to upload.\n');
    else {
      const uploadBytes = blobs.reduce((sum, blob) => sum + blob.size, 0);
      ctx.stderr.write(`Uploading ${blobs.length} of ${files.length} files (${formatBytes(uploadBytes)}).\n`);
      const progress = createProgress({
        stream: ctx.stderr,
        totalBytes: uploadBytes,
        totalFiles: blobs.length,
        now: ctx.now,
      });
      try {
        await uploadBlobs({
          blobs,
          concurrency: uploadConcurrency,
          upload: async (blob, bytes) => {
            await client.upload(`/api/registry/blobs/${blob.sha384}`, blobStoredSchema, bytes);
          },
          onUploaded: (blob) => progress.fileDone(blob.size),
        });
      } finally {
        progress.finish();
      }
    }
    const published = await client.post(`${base}/commit`, publishResponseSchema, { uploadId: start.uploadId });

    const { version: stored } = published;
    const rows = [
      ['contract', stored.contract],
      ['files', `${stored.files.length} (${formatBytes(totalBytes)}; ${blobs.length} uploaded)`],
      ['entry', new URL(published.entryUrl, client.server).href],
      ['integrity', stored.integrity],
      ['git sha', `${stored.gitSha ?? '—'}${stored.gitDirty ? ' (uncommitted changes)' : ''}`],
      ['signed', stored.signature ? `by "${stored.signature.signer}" (key ${stored.signature.keyId})` : 'no'],
    ];
    ctx.stdout.write(
      [
        `Published ${stored.remote} ${stored.version}.`,
        ...rows.map(([label = '', value = '']) => `  ${label.padEnd(9)}  ${value}`),
        '',
        'Next, send it to a share of users:',
        `  atrium remote canary ${stored.remote} ${stored.version} --percent 10 --reason "…"`,
        '',
      ].join('\n'),
    );
  },
});
