import { afterEach, describe, expect, it, vi } from 'vitest';
import { readBootOutline, readBootPayload } from './boot.js';

const payload = { me: null, csrfToken: 'token', remotes: { generatedAt: '2026-01-01T00:00:00Z', remotes: {} } };

function page(text: string | null) {
  vi.stubGlobal('document', {
    getElementById: (id: string) => (id === 'atrium-boot' && text !== null ? { textContent: text } : null),
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('the boot payload', () => {
  it('is read from the element the BFF fills', () => {
    page(JSON.stringify(payload));
    expect(readBootPayload()).toEqual(payload);
    const signedIn = { ...payload, me: { user: { id: 'u1' } }, remotes: null };
    page(JSON.stringify(signedIn));
    expect(readBootPayload()).toEqual(signedIn);
  });

  it('is an error when the page has none', () => {
    page(null);
    expect(() => readBootPayload()).toThrow('no boot payload');
  });

  it('is an error when it is not of the payload outline', () => {
    for (const malformed of [
      {},
      { ...payload, csrfToken: 1 },
      { me: null, remotes: null },
      { ...payload, me: 'alice' },
      { ...payload, me: undefined },
      { ...payload, remotes: [] },
      [],
      'token',
      null,
    ]) {
      expect(readBootOutline(malformed)).toBeNull();
      page(JSON.stringify(malformed));
      expect(() => readBootPayload()).toThrow('malformed');
    }
  });
});
