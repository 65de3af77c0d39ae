import { apiErrorSchema, meResponseSchema } from '@atrium/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../auth/tokens.js';
import { sessions } from '../db/schema/index.js';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.createUser({ email: 'ada@example.com' });
});
afterAll(() => t.close());

describe('sign-in', () => {
  it('signs in with the right password and sets a locked-down session cookie', async () => {
    const browser = new Browser(t);
    const response = await browser.signIn('Ada@Example.com', testPassword);
    expect(response.status).toBe(200);
    const me = meResponseSchema.parse(await response.json());
    expect(me.user).toMatchObject({ email: 'ada@example.com', role: 'user' });
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('atrium_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    expect((await browser.fetch('GET', '/api/me')).status).toBe(200);
  });

  it('stores only the hash of the session token', async () => {
    const browser = new Browser(t);
    await browser.signIn('ada@example.com', testPassword);
    const token = browser.sessionCookie()!;
    expect(await t.db.select().from(sessions).where(eq(sessions.id, token))).toHaveLength(0);
    expect(
      await t.db
        .select()
        .from(sessions)
        .where(eq(sessions.id, sha256Hex(token))),
    ).toHaveLength(1);
  });

  it('answers a wrong password and an unknown email with the same generic error', async () => {
    const wrong = await new Browser(t).signIn('ada@example.com', 'not the password');
    const unknown = await new Browser(t).signIn('nobody@example.com', 'not the password');
    for (const response of [wrong, unknown]) {
      expect(response.status).toBe(401);
      expect(apiErrorSchema.parse(await response.json())).toMatchObject({
        code: 'auth.invalid_credentials',
        message: 'The email or password is wrong.',
      });
    }
  });

  it('rate-limits repeated failures for an email, even when the password is then right', async () => {
    await t.createUser({ email: 'target@example.com' });
    const browser = new Browser(t);
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await browser.signIn('target@example.com', 'guess')).status).toBe(401);
    }
    const blocked = await browser.signIn('target@example.com', testPassword);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(apiErrorSchema.parse(await blocked.json()).code).toBe('auth.rate_limited');

    t.clock.advance(15 * 60_000 + 1);
    expect((await browser.signIn('target@example.com', testPassword)).status).toBe(200);
  });

  it('rotates the session at sign-in and revokes the one the browser held', async () => {
    const browser = new Browser(t);
    await browser.signIn('ada@example.com', testPassword);
    const first = browser.sessionCookie()!;
    await browser.signIn('ada@example.com', testPassword);
    const second = browser.sessionCookie()!;
    expect(second).not.toBe(first);
    const [old] = await t.db
      .select()
      .from(sessions)
      .where(eq(sessions.id, sha256Hex(first)));
    expect(old?.revokedAt).not.toBeNull();
    const replay = await t.app.request('http://localhost/api/me', { headers: { Cookie: `atrium_session=${first}` } });
    expect(replay.status).toBe(401);
  });

  it('uses a __Host- Secure cookie when served over https', async () => {
    const secure = await createTestApp({ env: { ATRIUM_PUBLIC_ORIGIN: 'https://atrium.example.com' } });
    try {
      await secure.createUser({ email: 'ada@example.com' });
      const browser = new Browser(secure, { origin: 'https://atrium.example.com' });
      const response = await browser.signIn('ada@example.com', testPassword);
      expect(response.status).toBe(200);
      const cookie = response.headers.getSetCookie().find((line) => line.startsWith('__Host-atrium_session='));
      expect(cookie).toMatch(/Secure/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).not.toMatch(/Domain=/);
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
      expect((await browser.fetch('GET', '/api/me')).status).toBe(200);
    } finally {
      await secure.close();
    }
  });
});

describe('session lifetime', () => {
  it('ends a session left idle past the idle timeout', async () => {
    const browser = new Browser(t);
    await browser.signIn('ada@example.com', testPassword);
    t.clock.advance(59 * 60_000);
    expect((await browser.fetch('GET', '/api/me')).status).toBe(200);
    t.clock.advance(59 * 60_000);
    expect((await browser.fetch('GET', '/api/me')).status).toBe(200);
    t.clock.advance(60 * 60_000);
    expect((await browser.fetch('GET', '/api/me')).status).toBe(401);
  });

  it('ends an active session at the absolute timeout', async () => {
    const browser = new Browser(t);
    await browser.signIn('ada@example.com', testPassword);
    for (let hour = 0; hour < 11; hour++) {
      t.clock.advance(50 * 60_000);
      expect((await browser.fetch('GET', '/api/me')).status).toBe(200);
    }
    t.clock.advance(12 * 60 * 60_000 - 11 * 50 * 60_000);
    const expired = await browser.fetch('GET', '/api/me');
    expect(expired.status).toBe(401);
    expect(apiErrorSchema.parse(await expired.json()).code).toBe('auth.required');
  });
});

describe('sign-out', () => {
  it('revokes the session server-side, so the old cookie no longer works', async () => {
    const browser = new Browser(t);
    await browser.signIn('ada@example.com', testPassword);
    const token = browser.sessionCookie()!;
    const out = await browser.fetch('POST', '/api/auth/sign-out');
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().some((line) => /^atrium_session=;.*Max-Age=0/i.test(line))).toBe(true);
    const replay = await t.app.request('http://localhost/api/me', { headers: { Cookie: `atrium_session=${token}` } });
    expect(replay.status).toBe(401);
  });
});
