import type { ArtifactFile } from '@atrium/contracts';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  // pg hands back a Buffer, PGlite a Uint8Array: domain code always sees a Buffer.
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/** One published build of a remote. Immutable except `status`: a version is never re-published. */
export const remoteVersions = pgTable(
  'remote_versions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    remote: text('remote').notNull(),
    version: text('version').notNull(),
    contract: text('contract').notNull(),
    contractMajor: integer('contract_major').notNull(),
    gitSha: text('git_sha'),
    entry: text('entry').notNull(),
    /** `sha384-<base64>` of the entry file: what the shell pins. */
    integrity: text('integrity').notNull(),
    /** Base URL on an allow-listed origin; null when the files live in `artifacts`. */
    origin: text('origin'),
    files: jsonb('files').$type<ArtifactFile[]>().notNull(),
    status: text('status', { enum: ['published', 'yanked'] })
      .notNull()
      .default('published'),
    yankedReason: text('yanked_reason'),
    /** A user id, `token:<id>` or `system`. */
    publishedBy: text('published_by').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    /** The signing key (`signing_keys.key_id`) whose signature verified at publish; null when unsigned. */
    signatureKeyId: text('signature_key_id'),
    /** The ed25519 signature (base64) over the release's canonical payload (registry/release-signature.ts). */
    signature: text('signature'),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    /** The signer said the build came from a work tree with uncommitted changes (part of the signed payload). */
    gitDirty: boolean('git_dirty').notNull().default(false),
  },
  (t) => [unique('remote_versions_remote_version_key').on(t.remote, t.version)],
);

/**
 * A remote's release-signing public key (ed25519). `key_id` is the SHA-256 of the SPKI DER,
 * base64url: globally unique, so one key belongs to one remote. Revoked keys stay, for the record.
 */
export const signingKeys = pgTable(
  'signing_keys',
  {
    keyId: text('key_id').primaryKey(),
    remote: text('remote').notNull(),
    name: text('name').notNull(),
    publicKeyPem: text('public_key_pem').notNull(),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by'),
    revokedReason: text('revoked_reason'),
  },
  (t) => [index('signing_keys_remote_idx').on(t.remote)],
);

/** What each remote resolves to now. One row per remote, locked for every change. */
export const releases = pgTable('releases', {
  remote: text('remote').primaryKey(),
  stable: text('stable'),
  previousStable: text('previous_stable'),
  canary: text('canary'),
  canaryPercent: integer('canary_percent').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  updatedBy: text('updated_by'),
});

export interface ReleaseState {
  stable: string | null;
  canary: string | null;
  canaryPercent: number;
}

export const releaseHistory = pgTable(
  'release_history',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    remote: text('remote').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    automatic: boolean('automatic').notNull().default(false),
    from: jsonb('from').$type<ReleaseState>().notNull(),
    to: jsonb('to').$type<ReleaseState>().notNull(),
    version: text('version'),
    reason: text('reason').notNull(),
  },
  (t) => [index('release_history_remote_id_idx').on(t.remote, t.id)],
);

export const deployTokens = pgTable('deploy_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  remote: text('remote').notNull(),
  name: text('name').notNull(),
  /** sha256 (hex) of the secret; the secret itself is shown once and never stored. */
  secretHash: text('secret_hash').notNull().unique(),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

/** Content-addressed file bodies, shared by every version and every BFF instance. */
export const artifacts = pgTable('artifacts', {
  sha384: text('sha384').primaryKey(),
  size: integer('size').notNull(),
  content: bytea('content').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/** Step 1 of a publish, waiting for its blobs and the commit. */
export const publishUploads = pgTable('publish_uploads', {
  id: uuid('id').primaryKey().defaultRandom(),
  remote: text('remote').notNull(),
  request: jsonb('request').$type<Record<string, unknown>>().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

export type RemoteVersionRow = typeof remoteVersions.$inferSelect;
export type ReleaseRow = typeof releases.$inferSelect;
export type ReleaseHistoryRow = typeof releaseHistory.$inferSelect;
export type DeployTokenRow = typeof deployTokens.$inferSelect;
export type SigningKeyRow = typeof signingKeys.$inferSelect;
