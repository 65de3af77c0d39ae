import { apiErrorSchema, userListResponseSchema, userResponseSchema } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../db/schema/index.js';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
let admin: Browser;
beforeAll(async () => {
  t = await createTestApp();
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
});
