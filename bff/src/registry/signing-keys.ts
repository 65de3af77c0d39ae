import type { PublishRequest, RemoteName, SigningKey } from '@atrium/contracts';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/audit-log.js';
import type { Database } from '../db/index.js';
import { type SigningKeyRow, signingKeys } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { keyIdOf, parsePublicKeyPem, SigningKeyError, verifyRelease } from './release-signature.js';

export function toSigningKey(row: SigningKeyRow): SigningKey {
  return {
    keyId: row.keyId,
    remote: row.remote as RemoteName,
    name: row.name,
    publicKeyPem: row.publicKeyPem,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokedReason: row.revokedReason,
  };
}

/** A remote's keys, oldest first, revoked ones included. */
export async function listSigningKeys(db: Database, remote: RemoteName): Promise<SigningKeyRow[]> {
  return db.select().from(signingKeys).where(eq(signingKeys.remote, remote)).orderBy(asc(signingKeys.createdAt));
}

/**
 * Registers an ed25519 public key (SPKI PEM) for `remote`, audited in the same transaction.
 * 400 `signing_key.invalid` for anything but an ed25519 public key; 409 `signing_key.exists`
 * when the key is registered already (for this or another remote: a key belongs to one remote).
 */
export async function addSigningKey(
  db: Database,
  input: {
    remote: RemoteName;
    name: string;
    publicKeyPem: string;
    userId: string;
    now: Date;
    requestId: string | null;
  },
): Promise<SigningKeyRow> {
  let keyId: string;
  let pem: string;
  try {
    const key = parsePublicKeyPem(input.publicKeyPem);
    keyId = keyIdOf(key);
    pem = key.export({ type: 'spki', format: 'pem' }).toString();
  } catch (error) {
    if (error instanceof SigningKeyError) {
      throw new AppError('signing_key.invalid', 400, error.message, [{ path: 'publicKeyPem', message: error.message }]);
    }
    throw error;
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(signingKeys)
      .values({
        keyId,
        remote: input.remote,
        name: input.name,
        publicKeyPem: pem,
        createdBy: input.userId,
        createdAt: input.now,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      const [existing] = await tx.select().from(signingKeys).where(eq(signingKeys.keyId, keyId));
      throw new AppError(
        'signing_key.exists',
        409,
        `This key (${keyId}) is registered already, for ${existing?.remote ?? 'a remote'}${existing?.revokedAt ? ' (revoked)' : ''}: a key belongs to one remote; generate another.`,
      );
    }
    await recordAudit(tx, {
      at: input.now,
      actorId: input.userId,
      action: 'registry.signing_key_added',
      target: `signing_key:${keyId}`,
      detail: { remote: input.remote, keyId, name: input.name },
      requestId: input.requestId,
    });
    return row;
  });
}

/**
 * Revokes a key of `remote` with a reason, audited. Versions it signed stay, shown as "signed by
 * a revoked key"; with signed releases required they can no longer be promoted, canaried or
 * rolled back to. Revoking a revoked key changes nothing (and writes no audit row).
 * 404 `signing_key.not_found` when `remote` has no such key.
 */
export async function revokeSigningKey(
  db: Database,
  input: { remote: RemoteName; keyId: string; reason: string; userId: string; now: Date; requestId: string | null },
): Promise<SigningKeyRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(signingKeys)
      .set({ revokedAt: input.now, revokedBy: input.userId, revokedReason: input.reason })
      .where(
        and(eq(signingKeys.keyId, input.keyId), eq(signingKeys.remote, input.remote), isNull(signingKeys.revokedAt)),
      )
      .returning();
    if (!row) {
      const [existing] = await tx
        .select()
        .from(signingKeys)
        .where(and(eq(signingKeys.keyId, input.keyId), eq(signingKeys.remote, input.remote)));
      if (!existing)
        throw new AppError('signing_key.not_found', 404, `${input.remote} has no signing key ${input.keyId}.`);
      return existing;
    }
    await recordAudit(tx, {
      at: input.now,
      actorId: input.userId,
      action: 'registry.signing_key_revoked',
      target: `signing_key:${row.keyId}`,
      detail: { remote: row.remote, keyId: row.keyId, name: row.name, reason: input.reason },
      requestId: input.requestId,
    });
    return row;
  });
}

const invalid = (message: string) => new AppError('release.signature_invalid', 422, message);

/**
 * The publish request's signature, checked against `remote`'s keys. Returns the key id to record,
 * or null for an unsigned request when signing is not required.
 * - unsigned and `required` → 422 `release.signature_required`;
 * - a key unknown to `remote` (another remote's, or none), a revoked key, or a signature that does
 *   not verify over this exact request → 422 `release.signature_invalid`, whether or not signing
 *   is required: a bad signature is never stored.
 */
export async function verifyPublishSignature(
  db: Database,
  remote: RemoteName,
  request: PublishRequest,
  required: boolean,
): Promise<string | null> {
  const { signature } = request;
  if (!signature) {
    if (!required) return null;
    throw new AppError(
      'release.signature_required',
      422,
      `This registry requires signed releases: sign ${remote} ${request.version} with a key registered for ${remote} (atrium remote publish --signing-key <file>).`,
    );
  }
  const [key] = await db.select().from(signingKeys).where(eq(signingKeys.keyId, signature.keyId));
  if (!key || key.remote !== remote) {
    throw invalid(`Signed with key ${signature.keyId}, which is not a signing key of ${remote}.`);
  }
  if (key.revokedAt) {
    throw invalid(`Signed with "${key.name}" (${key.keyId}), revoked on ${key.revokedAt.toISOString()}.`);
  }
  const verified = verifyRelease(
    parsePublicKeyPem(key.publicKeyPem),
    {
      remote,
      version: request.version,
      contract: request.contract,
      gitCommit: request.gitSha,
      gitDirty: request.gitDirty,
      entry: request.entry,
      files: request.files,
    },
    signature.value,
  );
  if (!verified) {
    throw invalid(
      `The signature by "${key.name}" does not match this release: its files, version, contract or commit differ from what was signed.`,
    );
  }
  return key.keyId;
}
