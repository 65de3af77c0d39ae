import { createHash } from 'node:crypto';

export function sha384Hex(bytes: Uint8Array): string {
  return createHash('sha384').update(bytes).digest('hex');
}

/** The SRI form the shell pins: `sha384-<base64>` of the same digest. */
export function integrityOf(sha384: string): string {
  return `sha384-${Buffer.from(sha384, 'hex').toString('base64')}`;
}
