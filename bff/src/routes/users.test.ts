import { apiErrorSchema, userListResponseSchema, userResponseSchema } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../db/schema/index.js';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
let admin: Browser;
beforeAll(async () => {
  t = await createTestApp({ env: { ATRIUM_TRUST_PROXY: 'true' } });
  await t.createUser({ email: 'root@example.com', role: 'admin' });
  await t.createUser({ email: 'user@example.com', role: 'user' });
  admin = new Browser(t);
  await admin.signIn('root@example.com', testPassword);
});
afterAll(() => t.close());

describe('users & roles', () => {
  it('refuses a signed-out caller with 401 and a plain user with 403', async () => {
    const anonymous = await new Browser(t).fetch('GET', '/api/users');
    expect(apiErrorSchema.parse(await anonymous.json()).code).toBe('auth.required');
    expect(anonymous.status).toBe(401);

    const user = new Browser(t);
    await user.signIn('user@example.com', testPassword);
    const list = await user.fetch('GET', '/api/users');
    expect(list.status).toBe(403);
    expect(apiErrorSchema.parse(await list.json()).code).toBe('auth.forbidden');
    const create = await user.fetch('POST', '/api/users', {
      body: { email: 'x@example.com', displayName: 'X', role: 'admin', password: testPassword },
    });
    expect(create.status).toBe(403);
  });

  it('lets an admin list and create users, and audits the write', async () => {
    const created = await admin.fetch('POST', '/api/users', {
      body: { email: 'New@Example.com', displayName: 'New', role: 'agent_l1', password: testPassword },
    });
    expect(created.status).toBe(201);
    const { user } = userResponseSchema.parse(await created.json());
    expect(user).toMatchObject({ email: 'new@example.com', role: 'agent_l1' });

    const list = userListResponseSchema.parse(await (await admin.fetch('GET', '/api/users')).json());
    expect(list.users.map((u) => u.email)).toContain('new@example.com');

    const duplicate = await admin.fetch('POST', '/api/users', {
      body: { email: 'new@example.com', displayName: 'Again', role: 'user', password: testPassword },
    });
    expect(duplicate.status).toBe(409);
    expect(apiErrorSchema.parse(await duplicate.json()).code).toBe('user.email_taken');

    const entries = await t.db.select().from(auditLog);
    expect(entries).toContainEqual(expect.objectContaining({ action: 'user.created', target: `user:${user.id}` }));
  });

  it('refuses a too-short password with the issues listed', async () => {
    const response = await admin.fetch('POST', '/api/users', {
      body: { email: 'short@example.com', displayName: 'Short', role: 'user', password: 'short' },
    });
    expect(response.status).toBe(400);
    const error = apiErrorSchema.parse(await response.json());
    expect(error.code).toBe('request.invalid');
    expect(error.issues?.map((issue) => issue.path)).toEqual(['password']);
  });

  it('ends every session of a user whose role changes', async () => {
    const target = await t.createUser({ email: 'promoted@example.com' });
    const browser = new Browser(t);
    await browser.signIn('promoted@example.com', testPassword);
    expect((await browser.fetch('GET', '/api/me')).status).toBe(200);

    const patched = await admin.fetch('PATCH', `/api/users/${target.id}`, { body: { role: 'approver' } });
    expect(patched.status).toBe(200);
    expect(userResponseSchema.parse(await patched.json()).user.role).toBe('approver');
    expect((await browser.fetch('GET', '/api/me')).status).toBe(401);

    const entries = await t.db.select().from(auditLog);
    expect(entries).toContainEqual(
      expect.objectContaining({ action: 'user.role_changed', detail: expect.objectContaining({ revokedSessions: 1 }) }),
    );
  });

  it('answers 404 for an unknown user and 400 for a malformed id', async () => {
    const unknown = await admin.fetch('PATCH', '/api/users/00000000-0000-4000-8000-000000000000', {
      body: { role: 'user' },
    });
    expect(unknown.status).toBe(404);
    expect(apiErrorSchema.parse(await unknown.json()).code).toBe('user.not_found');
    expect((await admin.fetch('PATCH', '/api/users/not-a-uuid', { body: { role: 'user' } })).status).toBe(400);
  });

  it('shows a sign-in lock and lets an admin end it, audited; a plain user may not', async () => {
    const locked = await t.createUser({ email: 'locked@example.com' });
    for (let n = 0; n < 10; n++) {
      const client = new Browser(t, { headers: { 'X-Forwarded-For': `198.51.100.${n}` } });
      await client.signIn('locked@example.com', 'wrong');
    }
    const listed = userListResponseSchema.parse(await (await admin.fetch('GET', '/api/users')).json());
    const row = listed.users.find((u) => u.id === locked.id)!;
    expect(row.signInLockedUntil).toBe(new Date(t.clock.now().getTime() + 15 * 60_000).toISOString());
    expect(listed.users.find((u) => u.email === 'root@example.com')!.signInLockedUntil).toBeNull();
    expect((await new Browser(t).signIn('locked@example.com', testPassword)).status).toBe(429);

    const user = new Browser(t);
    await user.signIn('user@example.com', testPassword);
    expect((await user.fetch('POST', `/api/users/${locked.id}/unlock`)).status).toBe(403);

    const unlocked = await admin.fetch('POST', `/api/users/${locked.id}/unlock`);
    expect(unlocked.status).toBe(200);
    expect(userResponseSchema.parse(await unlocked.json()).user.signInLockedUntil).toBeNull();
    expect((await new Browser(t).signIn('locked@example.com', testPassword)).status).toBe(200);
    const entries = await t.db.select().from(auditLog);
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: 'user.sign_in_unlocked',
        target: `user:${locked.id}`,
        detail: { email: 'locked@example.com', lockedForSeconds: 900 },
      }),
    );
    expect((await admin.fetch('POST', '/api/users/00000000-0000-4000-8000-000000000000/unlock')).status).toBe(404);
  });

  it('unlocking also frees the clients that hit the per-client-and-email limit', async () => {
    const target = await t.createUser({ email: 'mistyped@example.com' });
    const laptop = new Browser(t, { headers: { 'X-Forwarded-For': '203.0.113.50' } });
    for (let n = 0; n < 5; n++) await laptop.signIn('mistyped@example.com', 'wrong');
    expect((await laptop.signIn('mistyped@example.com', testPassword)).status).toBe(429);
    expect((await admin.fetch('POST', `/api/users/${target.id}/unlock`)).status).toBe(200);
    expect((await laptop.signIn('mistyped@example.com', testPassword)).status).toBe(200);
  });
});
