import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  createSigningKeyRequestSchema,
  revokeSigningKeyRequestSchema,
  signingKeyIdSchema,
  signingKeyListResponseSchema,
  signingKeyResponseSchema,
} from '@atrium/contracts';
import { keyIdOf } from '../registry/release-signature.js';
import { defineCommand, parseInput, remoteName } from './args.js';
import type { CliContext } from './context.js';
import { jsonOption, serverOption } from './context.js';
import { CliError, UsageError } from './errors.js';
import { signedInClient } from './session-store.js';
import { formatTable, formatTime } from './table.js';

/** A loaded private signing key and the id the registry knows its public half by. */
export interface SigningKeyFile {
  privateKey: KeyObject;
  keyId: string;
  file: string;
}

/**
 * The ed25519 private key (PKCS8 PEM) at `file`. Exit 1 (CliError) when it is missing, unreadable
 * or not ed25519; a warning when others may read it.
 */
export function loadSigningKey(ctx: CliContext, file: string): SigningKeyFile {
  const resolved = path.resolve(ctx.cwd, file);
  let text: string;
  try {
    text = readFileSync(resolved, 'utf8');
  } catch {
    throw new CliError(`Can't read the signing key ${resolved}.`, [
      'Generate one with: atrium keys generate --out <dir>',
    ]);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw new CliError(`${resolved} is not a PEM private key.`, [
      `Sign with the private key ${resolved.endsWith('.pub.pem') ? resolved.replace(/\.pub\.pem$/, '.pem') : '<name>.pem'} that atrium keys generate wrote (<name> is atrium-signing unless --name), not the <name>.pub.pem public key.`,
    ]);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new CliError(`${resolved} is an ${privateKey.asymmetricKeyType} key: release signing keys are ed25519.`);
  }
  if (process.platform !== 'win32' && (statSync(resolved).mode & 0o077) !== 0) {
    ctx.stderr.write(`Warning: ${resolved} can be read by others; chmod 600 it.\n`);
  }
  return { privateKey, keyId: keyIdOf(createPublicKey(privateKey)), file: resolved };
}

/**
 * Whether the git work tree around `dir` has uncommitted changes to tracked or untracked (not
 * ignored) files; null outside a checkout.
 */
export function workTreeDirty(dir: string): boolean | null {
  try {
    const out = execFileSync('git', ['status', '--porcelain'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.trim() !== '';
  } catch {
    return null;
  }
}

export const keysGenerateCommand = defineCommand({
  name: 'keys generate',
  summary: 'Create an ed25519 key pair for signing releases.',
  details: [
    'Writes <name>.pem (the private key, PKCS8, mode 0600: keep it in your CI secrets) and <name>.pub.pem\n' +
      '(the public key, SPKI: an admin registers it with atrium remote keys add). Prints the key id (SHA-256\n' +
      'of the public key, base64url) to stdout. Never overwrites a file.',
  ],
  positionals: [],
  options: {
    out: { type: 'string', value: 'dir', description: 'where to write the two files', required: true },
    name: { type: 'string', value: 'file', description: 'file name without extension (default: atrium-signing)' },
  },
  async run({ values }, ctx) {
    const base = values.name ?? 'atrium-signing';
    if (!/^[A-Za-z0-9._-]+$/.test(base))
      throw new UsageError('--name is a file name: letters, digits, . _ -', 'keys generate');
    const dir = path.resolve(ctx.cwd, values.out);
    const privateFile = path.join(dir, `${base}.pem`);
    const publicFile = path.join(dir, `${base}.pub.pem`);
    for (const file of [privateFile, publicFile]) {
      if (existsSync(file)) throw new CliError(`${file} exists already; choose another --name or --out.`);
    }
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    writeFileSync(publicFile, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644, flag: 'wx' });
    const keyId = keyIdOf(publicKey);
    ctx.stderr.write(
      [
        `Private key: ${privateFile} (keep it secret; sign with --signing-key or ATRIUM_SIGNING_KEY)`,
        `Public key:  ${publicFile}`,
        'Register the public key for a remote (admin):',
        `  atrium remote keys add <remote> --name "<who holds it>" --public-key ${publicFile}`,
        '',
      ].join('\n'),
    );
    ctx.stdout.write(`${keyId}\n`);
  },
});

const keysPath = (remote: string) => `/api/registry/remotes/${encodeURIComponent(remote)}/signing-keys`;

export const remoteKeysAddCommand = defineCommand({
  name: 'remote keys add',
  summary: 'Register a public key that may sign releases of one remote (admin).',
  positionals: [{ name: 'remote', description: 'the remote the key signs' }],
  options: {
    name: { type: 'string', value: 'label', description: 'who holds it, e.g. "chat-core CI"', required: true },
    'public-key': { type: 'string', value: 'file', description: 'the .pub.pem file', required: true },
    server: serverOption,
    json: jsonOption,
  },
  async run({ values, args }, ctx) {
    const remote = remoteName(args.remote, 'remote keys add');
    const file = path.resolve(ctx.cwd, values['public-key']);
    let publicKeyPem: string;
    try {
      publicKeyPem = readFileSync(file, 'utf8');
    } catch {
      throw new CliError(`Can't read ${file}.`);
    }
    const body = parseInput(createSigningKeyRequestSchema, { name: values.name, publicKeyPem }, 'remote keys add');
    const client = signedInClient(ctx, values.server, 'remote keys add');
    const { key } = await client.post(keysPath(remote), signingKeyResponseSchema, body);
    ctx.stdout.write(
      values.json
        ? `${JSON.stringify({ key }, null, 2)}\n`
        : `Registered signing key ${key.keyId} ("${key.name}") for ${key.remote}.\n`,
    );
  },
});

export const remoteKeysListCommand = defineCommand({
  name: 'remote keys list',
  summary: 'List the signing keys of a remote, revoked ones included (admin).',
  positionals: [{ name: 'remote', description: 'the remote' }],
  options: { server: serverOption, json: jsonOption },
  async run({ values, args }, ctx) {
    const remote = remoteName(args.remote, 'remote keys list');
    const client = signedInClient(ctx, values.server, 'remote keys list');
    const { keys } = await client.get(keysPath(remote), signingKeyListResponseSchema);
    if (values.json) {
      ctx.stdout.write(`${JSON.stringify({ keys }, null, 2)}\n`);
      return;
    }
    if (keys.length === 0) {
      ctx.stdout.write(
        `${remote} has no signing keys: atrium keys generate --out <dir>, then atrium remote keys add ${remote} …\n`,
      );
      return;
    }
    ctx.stdout.write(
      formatTable(
        ['KEY ID', 'NAME', 'ADDED', 'STATUS'],
        keys.map((key) => [
          key.keyId,
          key.name,
          formatTime(key.createdAt),
          key.revokedAt ? `revoked ${formatTime(key.revokedAt)}: ${key.revokedReason ?? ''}` : 'active',
        ]),
      ),
    );
  },
});

export const remoteKeysRevokeCommand = defineCommand({
  name: 'remote keys revoke',
  summary: 'Revoke a signing key: it signs nothing more; what it signed shows as signed by a revoked key (admin).',
  details: [
    'With ATRIUM_REQUIRE_SIGNED_RELEASES=true on the server, versions it signed can no longer be promoted,\n' +
      'canaried or rolled back to.',
  ],
  positionals: [
    { name: 'remote', description: 'the remote' },
    { name: 'key-id', description: 'the key id, as atrium remote keys list shows it' },
  ],
  options: {
    reason: { type: 'string', value: 'text', description: 'why (kept in the audit log)', required: true },
    server: serverOption,
  },
  async run({ values, args }, ctx) {
    const remote = remoteName(args.remote, 'remote keys revoke');
    const keyId = signingKeyIdSchema.safeParse(args['key-id'].trim());
    if (!keyId.success)
      throw new UsageError(`"${args['key-id']}" is not a key id (43 base64url characters).`, 'remote keys revoke');
    const body = parseInput(revokeSigningKeyRequestSchema, { reason: values.reason }, 'remote keys revoke');
    const client = signedInClient(ctx, values.server, 'remote keys revoke');
    const { key } = await client.post(`${keysPath(remote)}/${keyId.data}/revoke`, signingKeyResponseSchema, body);
    ctx.stdout.write(`Revoked signing key ${key.keyId} ("${key.name}") of ${key.remote}.\n`);
  },
});
