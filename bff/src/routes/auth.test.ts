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

  it('keeps a session in use at the shortest idle timeout (1 minute), and ends it once left idle', async () => {
    const short = await createTestApp({ env: { SESSION_IDLE_MINUTES: '1' } });
    try {
      await short.createUser({ email: 'brief@example.com' });
      const browser = new Browser(short);
      await browser.signIn('brief@example.com', testPassword);
      // Used every 10 s for 3 minutes: each request is inside the idle window of the last one.
      for (let step = 0; step < 18; step++) {
        short.clock.advance(10_000);
        expect((await browser.fetch('GET', '/api/me')).status, `after ${(step + 1) * 10} s`).toBe(200);
      }
      short.clock.advance(61_000);
      expect((await browser.fetch('GET', '/api/me')).status).toBe(401);
    } finally {
      await short.close();
    }
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

describe('sign-in limits beyond one client and email', () => {
  let limited: TestApp;
  beforeAll(async () => {
    // Behind our proxy, X-Forwarded-For names the client: each Browser below plays one.
    limited = await createTestApp({ env: { ATRIUM_TRUST_PROXY: 'true' } });
    await limited.createUser({ email: 'victim@example.com' });
    await limited.createUser({ email: 'bystander@example.com' });
  });
  afterAll(() => limited.close());
  const from = (ip: string) => new Browser(limited, { headers: { 'X-Forwarded-For': ip } });

  it('limits one client trying many emails once, and says when to try again', async () => {
    const client = from('203.0.113.7');
    const statuses: number[] = [];
    for (let n = 0; n < 15; n++) statuses.push((await client.signIn(`guess${n}@example.com`, 'wrong')).status);
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(5).fill(429)]);

    const refused = await client.signIn('bystander@example.com', testPassword);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('900');
    expect(apiErrorSchema.parse(await refused.json())).toMatchObject({
      code: 'auth.rate_limited',
      message: 'Too many failed sign-ins. Try again in 15 minutes.',
    });
    // Another client is not held back by this one.
    expect((await from('203.0.113.8').signIn('bystander@example.com', testPassword)).status).toBe(200);
  });

  it('locks an account guessed at from many clients, even for the right password, until the window slides', async () => {
    for (let n = 0; n < 10; n++) {
      expect((await from(`198.51.100.${n}`).signIn('victim@example.com', 'wrong')).status).toBe(401);
    }
    limited.clock.advance(5 * 60_000);
    const locked = await from('192.0.2.1').signIn('victim@example.com', testPassword);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('600');
    expect(apiErrorSchema.parse(await locked.json())).toMatchObject({
      code: 'auth.account_locked',
      message:
        'This account is locked after too many failed sign-ins. Try again in 10 minutes, or ask an administrator to unlock it.',
    });

    // An email no account has is locked the same way: a lock tells nothing about who has an account.
    for (let n = 0; n < 10; n++) await from(`198.51.100.${n}`).signIn('nobody-here@example.com', 'wrong');
    const unknown = await from('192.0.2.1').signIn('nobody-here@example.com', 'wrong');
    expect(apiErrorSchema.parse(await unknown.json()).code).toBe('auth.account_locked');

    limited.clock.advance(10 * 60_000);
    expect((await from('192.0.2.1').signIn('victim@example.com', testPassword)).status).toBe(200);
  });
});
