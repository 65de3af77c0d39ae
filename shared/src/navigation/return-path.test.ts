import { describe, expect, it } from 'vitest';
import { safeReturnPath, signInPath } from './return-path.js';

const origin = 'https://atrium.test';

/** The page reads `next` with URLSearchParams, so each case is written as it appears in the address bar. */
const nextOf = (query: string) => new URLSearchParams(query).get('next');

describe('safeReturnPath', () => {
  it.each([
    ['next=%2Fadmin%2Fusers%3Ftab%3D1%23top', '/admin/users?tab=1#top'],
    ['next=%2Fchat', '/chat'],
    ['next=/account', '/account'],
    ['next=%2Fa%2F..%2Fadmin', '/admin'],
    ['next=https%3A%2F%2Fatrium.test%2Fadmin', '/admin'],
    ['next=%2Fchat%2F%252F%252Fx', '/chat/%2F%2Fx'],
  ])('keeps a same-origin path: %s → %s', (query, expected) => {
    expect(safeReturnPath(nextOf(query), origin)).toBe(expected);
  });

  it.each([
    ['no next', ''],
    ['empty', 'next='],
    ['dot segment then //', 'next=%2F.%2F%2Fevil.example%2Fx'],
    ['dot segment then // (unencoded)', 'next=/.//evil.example/x'],
    ['parent segment then //', 'next=/..//evil.example/x'],
    ['encoded dot segment then //', 'next=/%252e//evil.example/x'],
    ['encoded dot-dot segment then //', 'next=/%252e%252e//evil.example/x'],
    ['dot segment then backslash', 'next=/./%5Cevil.example/x'],
    ['protocol-relative', 'next=//evil.example/x'],
    ['three slashes', 'next=///evil.example/x'],
    ['slash backslash', 'next=/%5Cevil.example'],
    ['backslashes', 'next=%5C%5Cevil.example'],
    ['slash tab slash', 'next=/%09/evil.example'],
    ['slash newline slash', 'next=/%0A/evil.example'],
    ['slash carriage return slash', 'next=/%0D/evil.example'],
    ['another origin', 'next=https%3A%2F%2Fevil.example%2F'],
    ['our host as userinfo', 'next=https%3A%2F%2Fatrium.test%40evil.example%2F'],
    ['our scheme on another port', 'next=https%3A%2F%2Fatrium.test%3A8443%2F'],
    ['plain http to our host', 'next=http%3A%2F%2Fatrium.test%2F'],
    ['javascript:', 'next=javascript%3Aalert(1)'],
    ['javascript: in mixed case with a leading space', 'next=%20JaVaScRiPt%3Aalert(1)'],
    ['data:', 'next=data%3Atext%2Fhtml%2C%3Cscript%3E'],
  ])('falls back to /chat for %s', (_what, query) => {
    expect(safeReturnPath(nextOf(query), origin)).toBe('/chat');
  });

  it('never returns something a router would read as another host', () => {
    for (const raw of ['/.//x', '/..//x', '/%2e//x', '/./\\x', '/\t/x', '//x', '\\/x']) {
      const path = safeReturnPath(raw, origin);
      expect(new URL(path, origin).origin).toBe(origin);
      expect(path.startsWith('//')).toBe(false);
    }
  });
});

describe('signInPath', () => {
  it('carries the return path so safeReturnPath gets it back unchanged', () => {
    const here = '/admin/audit?target=remote%3Achat-core&action=a b';
    const login = new URL(signInPath(here), origin);
    expect(login.pathname).toBe('/login');
    expect(safeReturnPath(login.searchParams.get('next'), origin)).toBe(here.replace(' ', '%20'));
  });
});
