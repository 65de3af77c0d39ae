import { apiErrorSchema, auditListResponseSchema, type UserView } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../audit/audit-log.js';
import { Browser } from '../testing/browser.js';
import { buildOf, createToken, publish } from '../testing/registry-publisher.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
let admin: Browser;
let ops: Browser;
let opsUser: Pick<UserView, 'id'>;

const list = async (browser: Browser, query = '') => {
  const response = await browser.fetch('GET', `/api/audit${query}`);
  expect(response.status).toBe(200);
  return auditListResponseSchema.parse(await response.json());
};

beforeAll(async () => {
  t = await createTestApp();
  await t.createUser({ email: 'root@example.com', role: 'admin' });
  opsUser = await t.createUser({ email: 'ops@example.com', role: 'ops' });
  await t.createUser({ email: 'plain@example.com', role: 'user' });
  admin = new Browser(t);
  await admin.signIn('root@example.com', testPassword);
  ops = new Browser(t);
  await ops.signIn('ops@example.com', testPassword);
  const token = await createToken(admin, 'chat-core');
  expect((await publish(t, token, 'chat-core', '1.3.0', buildOf('chat-core', '1.3.0'))).status).toBe(201);
  for (const [version, reason] of [
    ['1.3.0', 'weekly release'],
    ['1.2.3', 'error rate doubled'],
  ] as const) {
    const path = version === '1.3.0' ? 'promote' : 'rollback';
    const response = await ops.fetch('POST', `/api/registry/remotes/chat-core/${path}`, { body: { version, reason } });
    expect(response.status).toBe(200);
  }
});
afterAll(() => t.close());

describe('GET /api/audit', () => {
  it('is for admin and ops only', async () => {
    expect((await new Browser(t).fetch('GET', '/api/audit')).status).toBe(401);
    const plain = new Browser(t);
    await plain.signIn('plain@example.com', testPassword);
    const refused = await plain.fetch('GET', '/api/audit');
    expect(refused.status).toBe(403);
    expect(apiErrorSchema.parse(await refused.json()).code).toBe('auth.forbidden');
    expect((await list(admin)).entries.length).toBeGreaterThan(0);
    expect((await list(ops)).entries.length).toBeGreaterThan(0);
  });

  it('lists newest first and names every actor: a person, a deploy token, the registry itself', async () => {
    const { entries } = await list(ops, '?target=remote:chat-core');
    expect(entries.map((e) => e.action).slice(0, 3)).toEqual([
      'registry.rollback',
      'registry.promote',
      'registry.publish',
    ]);
    expect(entries[0]).toMatchObject({
      actorId: opsUser.id,
      actor: { kind: 'user', id: opsUser.id, displayName: 'ops', email: 'ops@example.com' },
      target: 'remote:chat-core',
      detail: expect.objectContaining({ reason: 'error rate doubled', version: '1.2.3' }),
    });
    expect(entries[0]!.requestId).toEqual(expect.any(String));
    expect(entries[2]).toMatchObject({
      actorId: null,
      actor: { kind: 'token', name: 'chat-core CI', remote: 'chat-core' },
    });
    expect(entries.at(-1)).toMatchObject({ action: 'registry.publish', actor: { kind: 'system' } });
  });

  it('names the server CLI and the billing webhook as Atrium itself, not as a deleted user', async () => {
    for (const actor of ['cli', 'billing']) {
      await recordAudit(t.db, {
        at: t.clock.now(),
        actorId: null,
        action: 'user.password_reset',
        target: 'test:actor-view',
        detail: { actor, reason: 'actor view test' },
        requestId: null,
      });
    }
    const { entries } = await list(ops, '?action=user.password_reset&target=test:actor-view');
    expect(entries.map((e) => e.actor)).toEqual([{ kind: 'system' }, { kind: 'system' }]);
  });

  it('filters by target, action and actor in the query', async () => {
    const promotes = await list(ops, '?action=registry.promote');
    expect(promotes.entries.length).toBeGreaterThan(0);
    expect(new Set(promotes.entries.map((e) => e.action))).toEqual(new Set(['registry.promote']));

    const byOps = await list(ops, `?actor=${opsUser.id}`);
    expect(byOps.entries.map((e) => e.action)).toEqual(['registry.rollback', 'registry.promote']);
    const bySystem = await list(ops, '?actor=system&target=remote:chat-core');
    expect(bySystem.entries.map((e) => e.action)).toEqual(['registry.promote', 'registry.publish']);

    const combined = await list(ops, '?target=remote:chat-core&action=registry.rollback');
    expect(combined.entries).toHaveLength(1);
    expect((await list(ops, '?target=remote:nothing')).entries).toEqual([]);
    expect((await ops.fetch('GET', '/api/audit?limit=0')).status).toBe(400);
  });

  it('finds by target prefix, remote name or user email, in the query, with wildcards taken literally', async () => {
    const created = await admin.fetch('POST', '/api/users', {
      body: { email: 'Support.Lead@example.com', displayName: 'Lead', role: 'agent_l2', password: testPassword },
    });
    expect(created.status).toBe(201);
    const targets = async (term: string) =>
      new Set((await list(ops, `?limit=200&target=${encodeURIComponent(term)}`)).entries.map((e) => e.action));
    const trail = async (term: string) =>
      (await list(ops, `?limit=200&target=${encodeURIComponent(term)}`)).entries.map((e) => [e.action, e.target]);

    // A remote's name finds its releases and its deploy tokens' creation; its start does too.
    const remote = new Set(['registry.rollback', 'registry.promote', 'registry.publish', 'registry.token_created']);
    expect(await targets('chat-core')).toEqual(remote);
    expect(await targets('chat')).toEqual(remote);
    expect(await targets('remote:chat')).toEqual(
      new Set(['registry.rollback', 'registry.promote', 'registry.publish']),
    );
    expect(await targets('remote:chat-core')).toEqual(await targets('remote:chat'));

    // An email (or its start, in any case) finds what was done to that account.
    const lead = (await trail('support.lead@example.com')) as [string, string][];
    expect(lead).toEqual([['user.created', expect.stringMatching(/^user:[0-9a-f-]{36}$/)]]);
    expect(await trail('SUPPORT.LEAD@')).toEqual(lead);
    expect(await trail(lead[0]![1])).toEqual(lead);
    expect(await targets('user:')).toEqual(new Set(['user.created']));

    expect(await trail('auth-ui')).toEqual([]);
    expect(await trail('%')).toEqual([]);
    expect(await trail('_hat-core')).toEqual([]);
  });

  it('pages with a cursor until nothing older is left', async () => {
    const all = await list(admin, '?limit=200');
    expect(all.nextBefore).toBeNull();
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list(admin, `?limit=3${before ? `&before=${before}` : ''}`);
      expect(page.entries.length).toBeLessThanOrEqual(3);
      seen.push(...page.entries.map((e) => e.id));
      before = page.nextBefore;
    } while (before);
    expect(seen).toEqual(all.entries.map((e) => e.id));
    const ids = seen.map(Number);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });
});
