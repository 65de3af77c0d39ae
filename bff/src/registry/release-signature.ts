import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import type { ArtifactFile } from '@atrium/contracts';

/**
 * What a release signature covers. Shared by the CLI (which signs) and the registry (which
 * verifies), so both build the same bytes.
 */
export interface SignedRelease {
  remote: string;
  version: string;
  contract: string;
  /** The commit the build came from (`gitSha` of the publish request); null when unknown. */
  gitCommit: string | null;
  /** The work tree had uncommitted changes when the build was published. */
  gitDirty: boolean;
  /** The entry file among `files`. */
  entry: string;
  files: readonly ArtifactFile[];
}

/** Domain separation: a signature over this payload can't be replayed as a signature over anything else. */
export const releasePayloadFormat = 'atrium-release-signature/v1';

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, strings and numbers as
 * `JSON.stringify` writes them. For the values signed here (strings, booleans, null, non-negative
 * integers) this is the same text as RFC 8785 (JCS). Anything else (a float, undefined, a
 * non-finite number) is refused rather than given two spellings.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError(`canonicalJson: ${value} is not a safe integer`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: can't encode a ${typeof value}`);
}

/**
 * The signed bytes (UTF-8): canonical JSON of
 * `{ format, remote, version, contract, gitCommit, gitDirty, entry, files: [{ path, sha384, size }] }`
 * with `files` sorted by path, so the order a build lists its files in does not matter.
 */
export function releasePayload(release: SignedRelease): Buffer {
  const files = [...release.files]
    .map(({ path, sha384, size }) => ({ path, sha384, size }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return Buffer.from(
    canonicalJson({
      format: releasePayloadFormat,
      remote: release.remote,
      version: release.version,
      contract: release.contract,
      gitCommit: release.gitCommit,
      gitDirty: release.gitDirty,
      entry: release.entry,
      files,
    }),
    'utf8',
  );
}

/** The key id: SHA-256 of the public key's SPKI DER, base64url (43 characters). */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url');
}

/** Why a PEM is not a usable public signing key; the caller turns it into its own error. */
export class SigningKeyError extends Error {}

/**
 * An ed25519 public key from SPKI PEM. Throws SigningKeyError for anything else, a private key
 * included (createPublicKey would quietly derive the public half of one: refusing tells the
 * person they pasted a secret).
 */
export function parsePublicKeyPem(pem: string): KeyObject {
  const text = pem.trim();
  if (/PRIVATE KEY-----/.test(text)) {
    throw new SigningKeyError(
      'That is a private key: register the public key (the .pub.pem file) and keep this one secret.',
    );
  }
  if (!/^-----BEGIN PUBLIC KEY-----\r?\n[\s\S]+\r?\n-----END PUBLIC KEY-----$/.test(text)) {
    throw new SigningKeyError('Not a PEM public key: expected -----BEGIN PUBLIC KEY----- … -----END PUBLIC KEY-----.');
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch {
    throw new SigningKeyError('The PEM public key could not be read (damaged base64 or not an SPKI key).');
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyError(`An ${key.asymmetricKeyType ?? 'unknown'} key: release signing keys are ed25519.`);
  }
  return key;
}

/** The signature (base64, 88 characters) of `release` with an ed25519 private key. */
export function signRelease(privateKey: KeyObject, release: SignedRelease): string {
  return sign(null, releasePayload(release), privateKey).toString('base64');
}

/** True when `signature` (base64) is `publicKey`'s signature of exactly this release. */
export function verifyRelease(publicKey: KeyObject, release: SignedRelease, signature: string): boolean {
  const bytes = Buffer.from(signature, 'base64');
  if (bytes.length !== 64) return false;
  return verify(null, releasePayload(release), publicKey, bytes);
}
