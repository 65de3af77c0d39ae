import type { ActorView, PublishRequest, RemoteName, RemoteVersion } from '@atrium/contracts';
import { publishRequestSchema } from '@atrium/contracts';
import { and, desc, eq, getTableColumns, gt, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { publishUploads, type RemoteVersionRow, releases, remoteVersions, signingKeys } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { type Actor, actorName } from './actor.js';
import { actorViewOf } from './actor-view.js';
import { assertContractOf, contractMajor } from './compatibility.js';
import { assertAllowedOrigin, normaliseBase, verifyExternalFiles } from './external-origin.js';
import { recordReleaseChange } from './history.js';
import { integrityOf } from './integrity.js';
import type { Registry } from './registry.js';
import { verifyPublishSignature } from './signing-keys.js';

const uploadTtlMs = 60 * 60_000;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Stored files are served by version; files on an external origin are loaded from there. */
export function entryUrlOf(row: Pick<RemoteVersionRow, 'remote' | 'version' | 'entry' | 'origin'>): string {
  return row.origin ? new URL(row.entry, row.origin).href : `/remotes/${row.remote}/${row.version}/${row.entry}`;
}

/** A version row with its publisher and signing key resolved, as every read of the registry loads it. */
export type NamedVersionRow = RemoteVersionRow & {
  publisher: ActorView;
  signer: string | null;
  signerRevokedAt: Date | null;
};
const signingKeyOf = (column: typeof signingKeys.name | typeof signingKeys.revokedAt) =>
  sql`(select ${column} from ${signingKeys} where ${signingKeys.keyId} = ${remoteVersions.signatureKeyId})`;
const namedVersion = {
  ...getTableColumns(remoteVersions),
  publisher: actorViewOf(remoteVersions.publishedBy),
  signer: signingKeyOf(signingKeys.name).mapWith(signingKeys.name),
  signerRevokedAt: signingKeyOf(signingKeys.revokedAt).mapWith(signingKeys.revokedAt),
};

export function toRemoteVersion(row: NamedVersionRow): RemoteVersion {
  return {
    remote: row.remote as RemoteName,
    version: row.version,
    contract: row.contract,
    gitSha: row.gitSha,
    entry: row.entry,
    integrity: row.integrity,
    origin: row.origin,
    files: row.files,
    status: row.status,
    gitDirty: row.gitDirty,
    signature:
      row.signatureKeyId && row.signedAt
        ? {
            keyId: row.signatureKeyId,
            signer: row.signer ?? row.signatureKeyId,
            signedAt: row.signedAt.toISOString(),
            keyRevokedAt: row.signerRevokedAt?.toISOString() ?? null,
          }
        : null,
    publishedBy: row.publisher,
    publishedAt: row.publishedAt.toISOString(),
  };
}

export async function findVersion(db: Database, remote: RemoteName, version: string): Promise<NamedVersionRow> {
  const [row] = await db
    .select(namedVersion)
    .from(remoteVersions)
    .where(and(eq(remoteVersions.remote, remote), eq(remoteVersions.version, version)));
  if (!row) throw new AppError('registry.not_found', 404, `${remote} has no version ${version}.`);
  return row;
}

/** Newest first, the versions of several remotes in one query. */
export async function listVersions(db: Database, remotes: readonly RemoteName[]): Promise<NamedVersionRow[]> {
  return db
    .select(namedVersion)
    .from(remoteVersions)
    .where(inArray(remoteVersions.remote, [...remotes]))
    .orderBy(desc(remoteVersions.publishedAt), desc(remoteVersions.id));
}

async function assertNewVersion(db: Database, remote: RemoteName, version: string): Promise<void> {
  const [existing] = await db
    .select({ id: remoteVersions.id })
    .from(remoteVersions)
    .where(and(eq(remoteVersions.remote, remote), eq(remoteVersions.version, version)));
  if (existing) versionExists(remote, version);
}

function versionExists(remote: RemoteName, version: string): never {
  throw new AppError(
    'registry.version_exists',
    409,
    `${remote} ${version} is already published. Versions are immutable: bump the version and publish again.`,
  );
}

function assertWellFormed(remote: RemoteName, request: PublishRequest, registry: Registry): void {
  assertContractOf(remote, request.contract);
  const paths = new Set<string>();
  for (const file of request.files) {
    if (paths.has(file.path)) {
      throw new AppError('request.invalid', 400, `${file.path} is listed twice.`, [
        { path: 'files', message: `duplicate path ${file.path}` },
      ]);
    }
    paths.add(file.path);
  }
  if (!paths.has(request.entry)) {
    throw new AppError('request.invalid', 400, `The entry ${request.entry} is not among the files.`, [
      { path: 'entry', message: 'must be one of files[].path' },
    ]);
  }
  if (request.origin) assertAllowedOrigin(request.origin, registry.config.remoteOrigins);
}

/** Step 1: checks the declaration and says which blobs the BFF still needs. */
export async function startPublish(
  registry: Registry,
  actor: Actor,
  remote: RemoteName,
  request: PublishRequest,
): Promise<{ uploadId: string; missing: string[] }> {
  assertWellFormed(remote, request, registry);
  await assertNewVersion(registry.db, remote, request.version);
  // Checked here so a bad signature fails before any upload; checked again, authoritatively, at commit.
  await verifyPublishSignature(registry.db, remote, request, registry.config.requireSignedReleases);
  const missing = request.origin ? [] : await registry.artifacts.missing(request.files.map((f) => f.sha384));
  const now = registry.clock.now();
  const [upload] = await registry.db
    .insert(publishUploads)
    .values({
      remote,
      request,
      createdBy: actorName(actor),
      createdAt: now,
      expiresAt: new Date(now.getTime() + uploadTtlMs),
    })
    .returning({ id: publishUploads.id });
  return { uploadId: upload!.id, missing };
}

async function assertFilesPresent(registry: Registry, request: PublishRequest): Promise<void> {
  if (request.origin) {
    await verifyExternalFiles(registry.fetch, normaliseBase(request.origin), request.files);
    return;
  }
  const sizes = await registry.artifacts.sizes(request.files.map((f) => f.sha384));
  const missing = request.files.filter((f) => !sizes.has(f.sha384));
  if (missing.length > 0) {
    throw new AppError(
      'registry.blobs_missing',
      400,
      `${missing.length} file(s) were not uploaded: PUT each to /api/registry/blobs/<sha384>, then commit again.`,
      missing.map((f) => ({ path: f.path, message: `missing blob ${f.sha384}` })),
    );
  }
  const wrongSize = request.files.find((f) => sizes.get(f.sha384) !== f.size);
  if (wrongSize) {
    throw new AppError(
      'registry.hash_mismatch',
      400,
      `${wrongSize.path} is declared as ${wrongSize.size} bytes, but its blob has ${sizes.get(wrongSize.sha384)}.`,
    );
  }
}

/**
 * Step 2: every file verified, then the version and its history row in one transaction. The
 * broadcast follows the commit, so open admin pages list the new version at once.
 */
export async function commitPublish(
  registry: Registry,
  actor: Actor,
  remote: RemoteName,
  uploadId: string,
  requestId: string | null,
): Promise<NamedVersionRow> {
  const { db, clock } = registry;
  const notFound = new AppError('registry.not_found', 404, 'No such publish in progress (it may have expired).');
  if (!uuidPattern.test(uploadId)) throw notFound;
  const [upload] = await db
    .select()
    .from(publishUploads)
    .where(
      and(
        eq(publishUploads.id, uploadId),
        eq(publishUploads.remote, remote),
        eq(publishUploads.createdBy, actorName(actor)),
        gt(publishUploads.expiresAt, clock.now()),
      ),
    );
  if (!upload) throw notFound;
  const request = publishRequestSchema.parse(upload.request);
  await assertNewVersion(db, remote, request.version);
  await assertFilesPresent(registry, request);

  const entry = request.files.find((f) => f.path === request.entry)!;
  const now = clock.now();
  const published = await registry.changeReleases(async (tx, announce) => {
    // In the transaction: a key revoked since step 1 is seen here.
    const signatureKeyId = await verifyPublishSignature(tx, remote, request, registry.config.requireSignedReleases);
    const [row] = await tx
      .insert(remoteVersions)
      .values({
        remote,
        version: request.version,
        contract: request.contract,
        contractMajor: contractMajor(request.contract),
        gitSha: request.gitSha,
        entry: request.entry,
        integrity: integrityOf(entry.sha384),
        origin: request.origin ? normaliseBase(request.origin) : null,
        files: request.files,
        gitDirty: request.gitDirty,
        signatureKeyId,
        signature: signatureKeyId ? request.signature!.value : null,
        signedAt: signatureKeyId ? now : null,
        publishedBy: actorName(actor),
        publishedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) versionExists(remote, request.version);
    const [release] = await tx.select().from(releases).where(eq(releases.remote, remote));
    const state = {
      stable: release?.stable ?? null,
      canary: release?.canary ?? null,
      canaryPercent: release?.canaryPercent ?? 0,
    };
    await recordReleaseChange(tx, {
      remote,
      at: now,
      actor,
      action: 'publish',
      from: state,
      to: state,
      version: request.version,
      reason: request.origin ? `published on ${new URL(request.origin).origin}` : 'published',
      requestId,
    });
    await tx.delete(publishUploads).where(eq(publishUploads.id, upload.id));
    await announce(remote, `published ${row.version}`);
    return findVersion(tx, remote, row.version);
  });
  return published;
}
