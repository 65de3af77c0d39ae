import { describe, expect, it } from 'vitest';
import { cacheControlOf, resolveInside } from './files.js';

describe('resolveInside', () => {
  it('keeps paths inside the root', () => {
    expect(resolveInside('/srv/dist', 'assets/a.js')).toBe('/srv/dist/assets/a.js');
  });

  it.each(['../secret', '..%2fsecret', '%2e%2e/secret', 'a/../../secret', '/../secret', 'a%00.js', '%E0%A4%A'])(
    'refuses %s',
    (input) => {
      expect(resolveInside('/srv/dist', input)).toBeNull();
    },
  );
});

describe('cacheControlOf', () => {
  it('makes hashed files immutable and entries revalidate', () => {
    expect(cacheControlOf('assets/main.3f2a.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlOf('remoteEntry.js')).toBe('no-cache');
    expect(cacheControlOf('mf-manifest.json')).toBe('no-cache');
  });
});
