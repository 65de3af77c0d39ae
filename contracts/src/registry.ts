import { z } from 'zod';
import { actorViewSchema } from './actors.js';
import { contractIdSchema, integritySchema, remoteNameSchema } from './remotes.js';
import { singleLineNameSchema } from './text.js';

/**
 * The remote registry: versions teams publish, and the release (stable + canary) each remote
 * resolves to. Every change is one atomic, audited operation with a reason.
 */
export const semverSchema = z
  .string()
  .regex(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/, 'a semantic version such as 1.4.0');
export const sha384HexSchema = z.string().regex(/^[a-f0-9]{96}$/, 'sha384 as 96 hex characters');
export const reasonSchema = z.string().trim().min(3, 'say why (at least 3 characters)').max(500);
export const artifactPathSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'a relative path of letters, digits, . _ -')
  .refine((path) => !path.split('/').includes('..'), 'no ..');

export const artifactFileSchema = z.object({
  path: artifactPathSchema,
  sha384: sha384HexSchema,
  size: z
    .number()
    .int()
    .min(0)
    .max(20 * 1024 * 1024),
});
export type ArtifactFile = z.infer<typeof artifactFileSchema>;

export const versionStatuses = ['published', 'yanked'] as const;

/**
 * A signing key's id: the SHA-256 of its public key's SPKI DER encoding, base64url without
 * padding (43 characters). `atrium keys generate` prints it; the registry computes it from the PEM.
 */
export const signingKeyIdSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a key id: 43 base64url characters');
/** An ed25519 signature is 64 bytes: 88 base64 characters ending in `==`. */
export const ed25519SignatureSchema = z
  .string()
  .regex(/^[A-Za-z0-9+/]{86}==$/, 'an ed25519 signature: 64 bytes as base64 (88 characters)');

/**
 * A publisher's signature over the release's canonical payload (bff/src/registry/release-signature.ts:
 * remote, version, contract, gitCommit, gitDirty, entry and files, as canonical JSON).
 */
export const releaseSignatureSchema = z.object({ keyId: signingKeyIdSchema, value: ed25519SignatureSchema });
export type ReleaseSignature = z.infer<typeof releaseSignatureSchema>;

/** What the registry recorded about a version's signature; it verified at publish (a bad one is never stored). */
export const versionSignatureSchema = z.object({
  keyId: signingKeyIdSchema,
  /** The key's name as registered, e.g. "chat-core release key 2026". */
  signer: z.string(),
  signedAt: z.string(),
  /** Set when the key was revoked after signing: the version shows as "signed by a revoked key". */
  keyRevokedAt: z.string().nullable(),
});
export type VersionSignature = z.infer<typeof versionSignatureSchema>;

export const remoteVersionSchema = z.object({
  remote: remoteNameSchema,
  version: semverSchema,
  contract: contractIdSchema,
  gitSha: z.string().nullable(),
  entry: z.string(),
  integrity: integritySchema,
  /** Absolute base URL when the files live on an allow-listed external origin; null when the BFF stores them. */
  origin: z.string().nullable(),
  files: z.array(artifactFileSchema),
  status: z.enum(versionStatuses),
  /** The publisher said the build came from a work tree with uncommitted changes: `gitSha` is not the whole story. */
  gitDirty: z.boolean(),
  /** Null when unsigned. */
  signature: versionSignatureSchema.nullable(),
  /** Who published it: a person, a deploy token or Atrium itself. */
  publishedBy: actorViewSchema,
  publishedAt: z.string(),
});
export type RemoteVersion = z.infer<typeof remoteVersionSchema>;

/** Step 1 of a publish: declare the version and its files; the answer says which blobs to upload. */
export const publishRequestSchema = z.object({
  version: semverSchema,
  contract: contractIdSchema,
  gitSha: z
    .string()
    .regex(/^[a-f0-9]{7,40}$/)
    .nullable()
    .default(null),
  /** The entry file among `files`, normally `remoteEntry.js`. */
  entry: artifactPathSchema.default('remoteEntry.js'),
  files: z.array(artifactFileSchema).min(1).max(2000),
  /** Serve from this allow-listed origin instead of the BFF; the BFF fetches and verifies every file. */
  origin: z.url().nullable().default(null),
  /** The build came from a work tree with uncommitted changes (signed along with the commit). */
  gitDirty: z.boolean().default(false),
  /** Unsigned when null: refused with ATRIUM_REQUIRE_SIGNED_RELEASES=true (422 release.signature_required). */
  signature: releaseSignatureSchema.nullable().default(null),
});
export type PublishRequest = z.infer<typeof publishRequestSchema>;
export const publishStartResponseSchema = z.object({
  uploadId: z.string(),
  /** sha384 (hex) of the files the BFF does not have yet: PUT each to /api/registry/blobs/:sha384. */
  missing: z.array(sha384HexSchema),
});
export const publishCommitRequestSchema = z.object({ uploadId: z.string() });
export const publishResponseSchema = z.object({ version: remoteVersionSchema, entryUrl: z.string() });

export const releaseSchema = z.object({
  remote: remoteNameSchema,
  stable: semverSchema.nullable(),
  /** The stable version before the current one: the fallback, and the default rollback target. */
  previousStable: semverSchema.nullable(),
  canary: semverSchema.nullable(),
  canaryPercent: z.number().int().min(0).max(100),
  updatedAt: z.string(),
  /** Who changed it last; null before any change. */
  updatedBy: actorViewSchema.nullable(),
});
export type Release = z.infer<typeof releaseSchema>;

export const releaseActions = ['publish', 'promote', 'canary', 'rollback', 'yank', 'auto_rollback'] as const;
export const releaseHistoryEntrySchema = z.object({
  id: z.string(),
  remote: remoteNameSchema,
  at: z.string(),
  actor: actorViewSchema,
  action: z.enum(releaseActions),
  /** True when the registry acted by itself (canary auto-rollback). */
  automatic: z.boolean(),
  from: z.object({ stable: z.string().nullable(), canary: z.string().nullable(), canaryPercent: z.number() }),
  to: z.object({ stable: z.string().nullable(), canary: z.string().nullable(), canaryPercent: z.number() }),
  version: z.string().nullable(),
  reason: z.string(),
});
export type ReleaseHistoryEntry = z.infer<typeof releaseHistoryEntrySchema>;

export const remoteStatusSchema = z.object({
  release: releaseSchema,
  versions: z.array(remoteVersionSchema.omit({ files: true })),
  /** Client-reported loads of the canary in the current window: the auto-rollback input. */
  canaryHealth: z
    .object({ loads: z.number().int(), failures: z.number().int(), windowSeconds: z.number().int() })
    .nullable(),
  /** The newest history entry: tells an auto-rollback apart from a manual change at a glance. */
  lastChange: releaseHistoryEntrySchema.nullable(),
});
export type RemoteStatus = z.infer<typeof remoteStatusSchema>;
export const registryOverviewSchema = z.object({ remotes: z.array(remoteStatusSchema) });
export const releaseHistoryResponseSchema = z.object({ entries: z.array(releaseHistoryEntrySchema) });

export const promoteRequestSchema = z.object({ version: semverSchema, reason: reasonSchema });
export const canaryRequestSchema = z.object({
  version: semverSchema,
  percent: z.number().int().min(0).max(100),
  reason: reasonSchema,
});
/** Without `version`: withdraws a running canary, else goes back to the previous stable. */
export const rollbackRequestSchema = z.object({ version: semverSchema.optional(), reason: reasonSchema });
export const yankRequestSchema = z.object({ reason: reasonSchema });
export const releaseResponseSchema = z.object({ release: releaseSchema });

export const deployTokenSchema = z.object({
  id: z.string(),
  remote: remoteNameSchema,
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const createDeployTokenRequestSchema = z.object({
  remote: remoteNameSchema,
  name: singleLineNameSchema(100),
});
/** The secret is shown once, at creation. */
export const createDeployTokenResponseSchema = z.object({ token: deployTokenSchema, secret: z.string() });
export const deployTokenListResponseSchema = z.object({ tokens: z.array(deployTokenSchema) });

/** A remote's release-signing public key. Revoked keys stay listed. */
export const signingKeySchema = z.object({
  keyId: signingKeyIdSchema,
  remote: remoteNameSchema,
  name: z.string(),
  publicKeyPem: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  revokedReason: z.string().nullable(),
});
export type SigningKey = z.infer<typeof signingKeySchema>;
export const createSigningKeyRequestSchema = z.object({
  /** Shown as the signer of every version the key signs. */
  name: singleLineNameSchema(100),
  /** An ed25519 public key, SPKI PEM (`-----BEGIN PUBLIC KEY-----`). */
  publicKeyPem: z.string().trim().min(1).max(2000),
});
export const revokeSigningKeyRequestSchema = z.object({ reason: reasonSchema });
export const signingKeyResponseSchema = z.object({ key: signingKeySchema });
export const signingKeyListResponseSchema = z.object({ keys: z.array(signingKeySchema) });
