import {
  apiErrorSchema,
  chatResponseSchema,
  deleteUserResponseSchema,
  meResponseSchema,
  resetPasswordResponseSchema,
  userResponseSchema,
} from '@atrium/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateAccessToken, createAccessToken } from '../auth/access-tokens.js';
import { auditLog, chats, documentChunks, documents, sessions, users } from '../db/schema/index.js';
import { Browser } from '../testing/browser.js';
import { expectNoOrphans, ingestAll, storedFiles, uploadDocument } from '../testing/document-api.js';
import { SseReader } from '../testing/sse-reader.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';
import { updateUser } from '../users/accounts.js';
import { deleteUserAccount, disableUser } from '../users/admin-actions.js';

let t: TestApp;
let admin: Browser;
let adminId: string;
const reason = { reason: 'ticket SEC-42' };
const unknownId = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  t = await createTestApp({ env: { ATRIUM_TRUST_PROXY: 'true', ATRIUM_WORKER: 'off' } });
  adminId = (await t.createUser({ email: 'root@example.com', role: 'admin' })).id;
  admin = new Browser(t);
  await admin.signIn('root@example.com', testPassword);
});
afterAll(() => t.close());

async function signedIn(email: string, role: 'user' | 'admin' | 'agent_l2' = 'user') {
  const user = await t.createUser({ email, role });
  const browser = new Browser(t);
  expect((await browser.signIn(email, testPassword)).status).toBe(200);
  return { user, browser };
}

async function openStream(browser: Browser) {
  const response = await browser.fetch('GET', '/api/events');
  expect(response.status).toBe(200);
  const reader = new SseReader(response.body!);
  await reader.untilComment('live');
  return reader;
}

const codeOf = async (response: Response) => apiErrorSchema.parse(await response.json()).code;

async function auditOf(userId: string) {
  return t.db
    .select()
    .from(auditLog)
    .where(eq(auditLog.target, `user:${userId}`));
}

describe('admin actions on users: permissions and input', () => {
  const actions = [
    ['POST', 'disable'],
    ['POST', 'enable'],
    ['POST', 'reset-password'],
    ['POST', 'sessions/revoke'],
    ['DELETE', ''],
  ] as const;
  const path = (id: string, action: string) => (action ? `/api/users/${id}/${action}` : `/api/users/${id}`);

  it('refuses signed-out callers (401) and non-admins (403), and changes nothing', async () => {
    const { user: target } = await signedIn('perm-target@example.com');
    const { browser: plain } = await signedIn('perm-plain@example.com');
    for (const [method, action] of actions) {
      // Without a session there is no CSRF token either: refused before the route.
      expect([401, 403]).toContain(
        (await new Browser(t).fetch(method, path(target.id, action), { body: reason })).status,
      );
      const refused = await plain.fetch(method, path(target.id, action), { body: reason });
      expect(refused.status).toBe(403);
      expect(await codeOf(refused)).toBe('auth.forbidden');
    }
    const [row] = await t.db.select().from(users).where(eq(users.id, target.id));
    expect(row).toMatchObject({ disabledAt: null, mustChangePassword: false });
    expect(await auditOf(target.id)).toEqual([]);
  });

  it('requires a reason of 3 to 500 characters, answers 404 for an unknown id and 400 for a malformed one', async () => {
    const target = await t.createUser({ email: 'input-target@example.com' });
    for (const [method, action] of actions) {
      for (const body of [undefined, {}, { reason: '  ' }, { reason: 'x'.repeat(501) }, { reason: 42 }]) {
        const response = await admin.fetch(method, path(target.id, action), { body });
        expect(response.status, `${method} ${action} ${JSON.stringify(body)}`).toBe(400);
        expect(await codeOf(response)).toBe('request.invalid');
      }
      const unknown = await admin.fetch(method, path(unknownId, action), { body: reason });
      expect(unknown.status).toBe(404);
      expect(await codeOf(unknown)).toBe('user.not_found');
      expect((await admin.fetch(method, path('not-a-uuid', action), { body: reason })).status).toBe(400);
    }
    expect(
      (await admin.fetch('POST', `/api/users/${target.id}/disable`, { body: { reason: 'a\u0000b' } })).status,
    ).toBe(400);
    expect(await t.db.select().from(users).where(eq(users.id, target.id))).toMatchObject([{ disabledAt: null }]);
    expect(await auditOf(target.id)).toEqual([]);
  });

  it('refuses an admin acting on themselves with 409 user.self_action', async () => {
    for (const [method, action] of actions.filter(([, a]) => a !== 'enable')) {
      const response = await admin.fetch(method, path(adminId, action), { body: reason });
      expect(response.status, `${method} ${action}`).toBe(409);
      expect(await codeOf(response)).toBe('user.self_action');
    }
    const demote = await admin.fetch('PATCH', `/api/users/${adminId}`, { body: { role: 'user' } });
    expect(demote.status).toBe(409);
    expect(await codeOf(demote)).toBe('user.self_action');
    expect((await admin.fetch('GET', '/api/me')).status).toBe(200);
  });
});

describe('disable and enable', () => {
  it('ends the sessions with session.ended disabled, refuses sign-in with 403 only to the right password, and enables again', async () => {
    const { user: target, browser } = await signedIn('disable-me@example.com');
    const tab = await openStream(browser);

    const disabled = await admin.fetch('POST', `/api/users/${target.id}/disable`, { body: reason });
    expect(disabled.status).toBe(200);
    expect(userResponseSchema.parse(await disabled.json()).user.disabledAt).toBe(t.clock.now().toISOString());
    expect((await tab.nextEvent())!.event).toEqual({ type: 'session.ended', reason: 'disabled' });
    expect(await tab.next()).toBeNull();
    expect((await browser.fetch('GET', '/api/me')).status).toBe(401);

    const wrong = await new Browser(t).signIn('disable-me@example.com', 'not the password at all');
    expect(wrong.status).toBe(401);
    expect(await codeOf(wrong)).toBe('auth.invalid_credentials');
    const right = await new Browser(t).signIn('disable-me@example.com', testPassword);
    expect(right.status).toBe(403);
    expect(await codeOf(right)).toBe('auth.account_disabled');
    expect(right.headers.get('set-cookie') ?? '').not.toMatch(/atrium_session=[^;]+;/);

    // Again: nothing changes, nothing more is recorded.
    expect((await admin.fetch('POST', `/api/users/${target.id}/disable`, { body: reason })).status).toBe(200);
    const enabled = await admin.fetch('POST', `/api/users/${target.id}/enable`, { body: { reason: 'cleared' } });
    expect(enabled.status).toBe(200);
    expect(userResponseSchema.parse(await enabled.json()).user.disabledAt).toBeNull();
    expect((await new Browser(t).signIn('disable-me@example.com', testPassword)).status).toBe(200);

    const trail = await auditOf(target.id);
    expect(trail.map((e) => [e.action, e.actorId, e.detail.reason])).toEqual([
      ['user.disabled', adminId, 'ticket SEC-42'],
      ['user.enabled', adminId, 'cleared'],
    ]);
    expect(trail[0]!.detail).toMatchObject({ revokedSessions: 1, email: 'disable-me@example.com' });
  });

  it('stops the personal access tokens of a disabled user', async () => {
    const target = await t.createUser({ email: 'tokens@example.com' });
    const { secret } = await createAccessToken(t.db, {
      userId: target.id,
      name: 'laptop',
      scopes: ['mcp'],
      expiresAt: null,
      now: t.clock.now(),
    });
    expect(await authenticateAccessToken(t.db, secret, 'mcp', t.clock.now())).not.toBeNull();
    await admin.fetch('POST', `/api/users/${target.id}/disable`, { body: reason });
    expect(await authenticateAccessToken(t.db, secret, 'mcp', t.clock.now())).toBeNull();
    const viaMcp = await t.app.request('/mcp', {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(viaMcp.status).toBe(401);
    await admin.fetch('POST', `/api/users/${target.id}/enable`, { body: reason });
    expect(await authenticateAccessToken(t.db, secret, 'mcp', t.clock.now())).not.toBeNull();
  });
});

describe('reset password', () => {
  it('shows a readable temporary password once, ends sessions, and allows only the password change until it is done', async () => {
    const { user: target, browser: laptop } = await signedIn('reset-me@example.com');
    const tab = await openStream(laptop);
    const reset = await admin.fetch('POST', `/api/users/${target.id}/reset-password`, { body: reason });
    expect(reset.status).toBe(200);
    expect(reset.headers.get('cache-control')).toBe('no-store');
    const { temporaryPassword } = resetPasswordResponseSchema.parse(await reset.json());
    expect(temporaryPassword.replaceAll('-', '')).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
    expect((await tab.nextEvent())!.event).toEqual({ type: 'session.ended', reason: 'password_reset' });
    expect((await laptop.fetch('GET', '/api/me')).status).toBe(401);
    const [row] = await t.db.select().from(users).where(eq(users.id, target.id));
    expect(row!.mustChangePassword).toBe(true);
    expect(row!.passwordHash).not.toContain(temporaryPassword);
    const trail = await auditOf(target.id);
    expect(trail).toEqual([
      expect.objectContaining({
        action: 'user.password_reset',
        actorId: adminId,
        detail: expect.objectContaining({ reason: 'ticket SEC-42', revokedSessions: 1 }),
      }),
    ]);
    expect(JSON.stringify(trail)).not.toContain(temporaryPassword);

    // The old password no longer works; the temporary one signs in, flagged.
    expect((await new Browser(t).signIn('reset-me@example.com', testPassword)).status).toBe(401);
    const fresh = new Browser(t);
    const signIn = await fresh.signIn('reset-me@example.com', temporaryPassword);
    expect(signIn.status).toBe(200);
    expect(meResponseSchema.parse(await signIn.json()).mustChangePassword).toBe(true);
    expect((await fresh.fetch('GET', '/api/me')).status).toBe(200);
    for (const [method, path] of [
      ['GET', '/api/chats'],
      ['POST', '/api/chats'],
      ['GET', '/api/account/sessions'],
      ['GET', '/api/documents'],
    ] as const) {
      const refused = await fresh.fetch(method, path, { body: method === 'POST' ? { title: 'x' } : undefined });
      expect(refused.status, path).toBe(403);
      expect(await codeOf(refused)).toBe('auth.password_change_required');
    }
    expect(await t.db.select().from(chats).where(eq(chats.userId, target.id))).toEqual([]);
    // The stream stays available, so a later admin action still reaches the tab.
    const stream = await openStream(fresh);
    await stream.close();

    // Changing the password needs the temporary one and clears the flag.
    const newPassword = 'my own brand new password';
    expect(
      (
        await fresh.fetch('POST', '/api/account/password', {
          body: { currentPassword: 'wrong wrong wrong', newPassword },
        })
      ).status,
    ).toBe(400);
    // Keeping the temporary password (which the admin saw) is no change.
    const kept = await fresh.fetch('POST', '/api/account/password', {
      body: { currentPassword: temporaryPassword, newPassword: temporaryPassword },
    });
    expect(kept.status).toBe(400);
    expect(await codeOf(kept)).toBe('auth.password_unchanged');
    expect(meResponseSchema.parse(await (await fresh.fetch('GET', '/api/me')).json()).mustChangePassword).toBe(true);
    const changed = await fresh.fetch('POST', '/api/account/password', {
      body: { currentPassword: temporaryPassword, newPassword },
    });
    expect(changed.status).toBe(200);
    expect(meResponseSchema.parse(await (await fresh.fetch('GET', '/api/me')).json()).mustChangePassword).toBe(false);
    expect((await fresh.fetch('GET', '/api/chats')).status).toBe(200);
    expect((await new Browser(t).signIn('reset-me@example.com', newPassword)).status).toBe(200);
  });

  it('lifts a sign-in lock, so the user can use the temporary password at once', async () => {
    const target = await t.createUser({ email: 'locked-out@example.com' });
    for (let n = 0; n < 10; n++) {
      await new Browser(t, { headers: { 'X-Forwarded-For': `198.51.100.${n}` } }).signIn(
        'locked-out@example.com',
        'wrong',
      );
    }
    expect((await new Browser(t).signIn('locked-out@example.com', testPassword)).status).toBe(429);
    const reset = await admin.fetch('POST', `/api/users/${target.id}/reset-password`, { body: reason });
    const { temporaryPassword } = resetPasswordResponseSchema.parse(await reset.json());
    expect((await new Browser(t).signIn('locked-out@example.com', temporaryPassword)).status).toBe(200);
  });
});

describe('revoke sessions and unlock', () => {
  it('ends every session of the user with session.ended revoked, audited with the count', async () => {
    const { user: target, browser: laptop } = await signedIn('revoke-all@example.com');
    const phone = new Browser(t);
    await phone.signIn('revoke-all@example.com', testPassword);
    const tab = await openStream(phone);
    const revoked = await admin.fetch('POST', `/api/users/${target.id}/sessions/revoke`, { body: reason });
    expect(revoked.status).toBe(200);
    expect((await tab.nextEvent())!.event).toEqual({ type: 'session.ended', reason: 'revoked' });
    expect((await laptop.fetch('GET', '/api/me')).status).toBe(401);
    expect((await phone.fetch('GET', '/api/me')).status).toBe(401);
    expect(await auditOf(target.id)).toEqual([
      expect.objectContaining({
        action: 'user.sessions_revoked',
        detail: expect.objectContaining({ revokedSessions: 2, reason: 'ticket SEC-42' }),
      }),
    ]);
    // They may sign in again: nothing else changed.
    expect((await new Browser(t).signIn('revoke-all@example.com', testPassword)).status).toBe(200);
  });

  it('records the reason of an unlock when one is given, and refuses a malformed one', async () => {
    const target = await t.createUser({ email: 'unlock-why@example.com' });
    expect((await admin.fetch('POST', `/api/users/${target.id}/unlock`, { body: { reason: 'x' } })).status).toBe(400);
    expect(
      (await admin.fetch('POST', `/api/users/${target.id}/unlock`, { body: { reason: 'called the helpdesk' } })).status,
    ).toBe(200);
    expect((await admin.fetch('POST', `/api/users/${target.id}/unlock`)).status).toBe(200);
    const trail = await auditOf(target.id);
    expect(trail.map((e) => e.detail.reason)).toEqual(['called the helpdesk', undefined]);
  });
});

describe('delete', () => {
  it('deletes the account, its chats, tokens and private documents with their files, and hands shared documents to the admin', async () => {
    const { user: target, browser } = await signedIn('leaving@example.com', 'agent_l2');
    for (const title of ['one', 'two']) {
      chatResponseSchema.parse(await (await browser.fetch('POST', '/api/chats', { body: { title } })).json());
    }
    const priv = await uploadDocument(browser, { filename: 'private.md', bytes: '# Mine\n\nOnly for me.' });
    const shared = await uploadDocument(browser, {
      filename: 'shared.md',
      bytes: '# Team\n\nThe refund window is 30 days.',
      audience: 'agent_l1',
    });
    await ingestAll(t);
    await createAccessToken(t.db, {
      userId: target.id,
      name: 'cli',
      scopes: ['mcp'],
      expiresAt: null,
      now: t.clock.now(),
    });
    const filesBefore = storedFiles(t, 'sha256').length;
    const tab = await openStream(browser);

    const response = await admin.fetch('DELETE', `/api/users/${target.id}`, { body: reason });
    expect(response.status).toBe(200);
    expect(deleteUserResponseSchema.parse(await response.json()).deleted).toEqual({
      chats: 2,
      documents: 1,
      sharedDocumentsKept: 1,
    });
    expect((await tab.nextEvent())!.event).toEqual({ type: 'session.ended', reason: 'deleted' });

    expect(await t.db.select().from(users).where(eq(users.id, target.id))).toEqual([]);
    expect(await t.db.select().from(chats).where(eq(chats.userId, target.id))).toEqual([]);
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, target.id))).toEqual([]);
    expect(await t.db.select().from(documents).where(eq(documents.id, priv.id))).toEqual([]);
    const [kept] = await t.db.select().from(documents).where(eq(documents.id, shared.id));
    expect(kept).toMatchObject({ ownerId: adminId, audience: 'agent_l1', status: 'ready' });
    const keptChunks = await t.db.select().from(documentChunks).where(eq(documentChunks.documentId, shared.id));
    expect(keptChunks.length).toBeGreaterThan(0);
    expect(keptChunks.every((c) => c.ownerId === adminId)).toBe(true);
    expect(storedFiles(t, 'sha256').length).toBe(filesBefore - 1);
    await expectNoOrphans(t);
    // The admin now manages the shared document.
    expect((await admin.fetch('GET', `/api/documents/${shared.id}`)).status).toBe(200);

    const deleted = (await t.db.select().from(auditLog).where(eq(auditLog.action, 'user.deleted'))).find(
      (e) => e.target === `user:${target.id}`,
    );
    expect(deleted).toMatchObject({
      actorId: adminId,
      detail: { email: 'leaving@example.com', reason: 'ticket SEC-42', chats: 2, documents: 1, sharedDocumentsKept: 1 },
    });
    expect((await new Browser(t).signIn('leaving@example.com', testPassword)).status).toBe(401);
    expect((await admin.fetch('DELETE', `/api/users/${target.id}`, { body: reason })).status).toBe(404);
  });
});

describe('the last enabled admin', () => {
  let t2: TestApp;
  beforeAll(async () => {
    t2 = await createTestApp();
  });
  afterAll(() => t2.close());

  it('cannot be disabled, demoted or deleted by anyone, and two admins disabling each other at once leave one', async () => {
    const only = await t2.createUser({ email: 'only@example.com', role: 'admin' });
    const plain = await t2.createUser({ email: 'plain@example.com' });
    const cli = { id: null, requestId: null };
    const now = t2.clock.now();
    await expect(disableUser(t2.db, cli, { targetId: only.id, reason: 'x' }, now)).rejects.toMatchObject({
      code: 'user.last_admin',
      status: 409,
    });
    await expect(updateUser(t2.db, only.id, { role: 'user' }, now, plain.id)).rejects.toMatchObject({
      code: 'user.last_admin',
    });
    await expect(
      deleteUserAccount(
        { db: t2.db, sse: t2.runtime.sse, documents: {} as never },
        { id: plain.id, requestId: null },
        { targetId: only.id, reason: 'x' },
        now,
      ),
    ).rejects.toMatchObject({ code: 'user.last_admin' });
    // A disabled admin does not count.
    const dormant = await t2.createUser({ email: 'dormant@example.com', role: 'admin' });
    await t2.db.update(users).set({ disabledAt: now }).where(eq(users.id, dormant.id));
    await expect(disableUser(t2.db, cli, { targetId: only.id, reason: 'x' }, now)).rejects.toMatchObject({
      code: 'user.last_admin',
    });
    expect(await t2.db.select().from(users).where(eq(users.id, only.id))).toMatchObject([
      { disabledAt: null, role: 'admin' },
    ]);

    await t2.db.update(users).set({ disabledAt: null }).where(eq(users.id, dormant.id));
    const results = await Promise.allSettled([
      disableUser(t2.db, { id: only.id, requestId: null }, { targetId: dormant.id, reason: 'x' }, now),
      disableUser(t2.db, { id: dormant.id, requestId: null }, { targetId: only.id, reason: 'x' }, now),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(
      ['user.last_admin'],
    );
    const enabledAdmins = await t2.db.select().from(users).where(eq(users.role, 'admin'));
    expect(enabledAdmins.filter((u) => u.disabledAt === null)).toHaveLength(1);
  });
});
