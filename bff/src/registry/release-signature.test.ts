import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  keyIdOf,
  parsePublicKeyPem,
  releasePayload,
  type SignedRelease,
  SigningKeyError,
  signRelease,
  verifyRelease,
} from './release-signature.js';

const sha = (c: string) => c.repeat(96);
const release: SignedRelease = {
  remote: 'chat-core',
  version: '1.4.0',
  contract: 'chat-core@1',
  gitCommit: 'abc1234',
  gitDirty: false,
  entry: 'remoteEntry.js',
  files: [
    { path: 'static/a.js', sha384: sha('b'), size: 2 },
    { path: 'remoteEntry.js', sha384: sha('a'), size: 10 },
  ],
};

describe('the signed payload', () => {
  it('is canonical JSON: sorted keys, no whitespace, files sorted by path', () => {
    expect(releasePayload(release).toString('utf8')).toBe(
      `{"contract":"chat-core@1","entry":"remoteEntry.js","files":[{"path":"remoteEntry.js","sha384":"${sha('a')}","size":10},{"path":"static/a.js","sha384":"${sha('b')}","size":2}],"format":"atrium-release-signature/v1","gitCommit":"abc1234","gitDirty":false,"remote":"chat-core","version":"1.4.0"}`,
    );
    const reordered = { ...release, files: [...release.files].reverse() };
    expect(releasePayload(reordered).equals(releasePayload(release))).toBe(true);
  });

  it('has one spelling per value and refuses values with several', () => {
    expect(canonicalJson({ b: [1, null, true], a: 'é"\n' })).toBe('{"a":"é\\"\\n","b":[1,null,true]}');
    expect(() => canonicalJson({ size: 1.5 })).toThrow(TypeError);
    expect(() => canonicalJson({ size: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ size: undefined })).toThrow(TypeError);
  });
});

describe('sign and verify', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');

  it('verifies exactly what was signed', () => {
    const signature = signRelease(privateKey, release);
    expect(signature).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    expect(verifyRelease(publicKey, release, signature)).toBe(true);
    const tampered = { ...release, files: [{ ...release.files[0]!, sha384: sha('c') }, release.files[1]!] };
    expect(verifyRelease(publicKey, tampered, signature)).toBe(false);
    expect(verifyRelease(publicKey, { ...release, gitDirty: true }, signature)).toBe(false);
    expect(verifyRelease(generateKeyPairSync('ed25519').publicKey, release, signature)).toBe(false);
    expect(verifyRelease(publicKey, release, signature.slice(4))).toBe(false);
  });

  it('reads ed25519 SPKI PEM only, and names the key by the SHA-256 of its DER', () => {
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(keyIdOf(parsePublicKeyPem(`\n${pem}\n`))).toBe(keyIdOf(publicKey));
    expect(keyIdOf(publicKey)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => parsePublicKeyPem(privatePem)).toThrow(/private key/);
    expect(() => parsePublicKeyPem('hello')).toThrow(SigningKeyError);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' });
    expect(() => parsePublicKeyPem(ec.toString())).toThrow(/ed25519/);
  });
});
