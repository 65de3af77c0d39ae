import { apiErrorSchema, sessionListResponseSchema } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('account', () => {
  it('changes the password, keeps this session and ends the others', async () => {
    await t.createUser({ email: 'pw@example.com' });
    const laptop = new Browser(t);
    const phone = new Browser(t);
    await laptop.signIn('pw@example.com', testPassword);
    await phone.signIn('pw@example.com', testPassword);

    const wrong = await laptop.fetch('POST', '/api/account/password', {
      body: { currentPassword: 'nope', newPassword: 'a brand new long password' },
    });
    expect(wrong.status).toBe(400);
    expect(apiErrorSchema.parse(await wrong.json()).code).toBe('auth.wrong_password');

    const changed = await laptop.fetch('POST', '/api/account/password', {
      body: { currentPassword: testPassword, newPassword: 'a brand new long password' },
    });
    expect(changed.status).toBe(200);
    expect((await laptop.fetch('GET', '/api/me')).status).toBe(200);
    expect((await phone.fetch('GET', '/api/me')).status).toBe(401);
    expect((await new Browser(t).signIn('pw@example.com', testPassword)).status).toBe(401);
    expect((await new Browser(t).signIn('pw@example.com', 'a brand new long password')).status).toBe(200);
  });

  it('limits guesses at the current password like sign-in attempts', async () => {
    await t.createUser({ email: 'borrowed@example.com' });
    const borrowed = new Browser(t);
    await borrowed.signIn('borrowed@example.com', testPassword);
    const guess = () =>
      borrowed.fetch('POST', '/api/account/password', {
        body: { currentPassword: 'a guess', newPassword: 'a brand new long password' },
      });
    for (let n = 0; n < 5; n++) expect((await guess()).status).toBe(400);
    const refused = await guess();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(apiErrorSchema.parse(await refused.json()).code).toBe('auth.rate_limited');
  });

  it('lists and revokes only the caller’s own sessions', async () => {
    await t.createUser({ email: 'me@example.com' });
    await t.createUser({ email: 'other@example.com' });
    const laptop = new Browser(t);
    const phone = new Browser(t);
    const other = new Browser(t);
    await laptop.signIn('me@example.com', testPassword);
    await phone.signIn('me@example.com', testPassword);
    await other.signIn('other@example.com', testPassword);

    const mine = sessionListResponseSchema.parse(await (await laptop.fetch('GET', '/api/account/sessions')).json());
    expect(mine.sessions).toHaveLength(2);
    expect(mine.sessions.filter((s) => s.current)).toHaveLength(1);
    const phoneSession = mine.sessions.find((s) => !s.current)!;

    const theirs = sessionListResponseSchema.parse(await (await other.fetch('GET', '/api/account/sessions')).json());
    const foreign = await laptop.fetch('DELETE', `/api/account/sessions/${theirs.sessions[0]!.id}`);
    expect(foreign.status).toBe(404);
    expect(apiErrorSchema.parse(await foreign.json()).code).toBe('session.not_found');
    expect((await other.fetch('GET', '/api/me')).status).toBe(200);

    expect((await laptop.fetch('DELETE', `/api/account/sessions/${phoneSession.id}`)).status).toBe(200);
    expect((await phone.fetch('GET', '/api/me')).status).toBe(401);
    expect((await laptop.fetch('GET', '/api/me')).status).toBe(200);
  });

  it('requires a session', async () => {
    expect((await new Browser(t).fetch('GET', '/api/account/sessions')).status).toBe(401);
  });
});
