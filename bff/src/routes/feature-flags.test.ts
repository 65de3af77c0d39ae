import {
  apiErrorSchema,
  createAccessTokenResponseSchema,
  featureFlagListResponseSchema,
  featureFlagResponseSchema,
  meResponseSchema,
} from '@atrium/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, documents, featureFlags, type UserRow } from '../db/schema/index.js';
import { Browser } from '../testing/browser.js';
import { postDocument } from '../testing/document-api.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

/* Feature flags through the real app (issue 11 item 3): who sees and changes them, and the routes they gate. */

let t: TestApp;
let admin: Browser;
let ops: Browser;
let user: Browser;
let userRow: UserRow;
const everyone = { roles: [], userIds: [], percentage: 100 };

const signedIn = async (email: string) => {
  const browser = new Browser(t);
  await browser.signIn(email, testPassword);
  return browser;
};
const toggle = (browser: Browser, flag: string, body: unknown) =>
  browser.fetch('POST', `/api/feature-flags/${flag}/toggle`, { body });
const codeOf = async (response: Response) => apiErrorSchema.parse(await response.json()).code;
const flagRow = async (key: string) => (await t.db.select().from(featureFlags).where(eq(featureFlags.key, key)))[0];

beforeAll(async () => {
  t = await createTestApp();
  await t.createUser({ email: 'root@example.com', role: 'admin' });
  await t.createUser({ email: 'ops@example.com', role: 'ops' });
  userRow = await t.createUser({ email: 'user@example.com', role: 'user' });
  admin = await signedIn('root@example.com');
  ops = await signedIn('ops@example.com');
  user = await signedIn('user@example.com');
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  for (const flag of ['uploads', 'mcp.server', 'agent.tools']) {
    await toggle(admin, flag, { enabled: true, targeting: everyone, reason: 'test reset' });
  }
});

describe('GET /api/feature-flags', () => {
  it('gives everyone signed in their snapshot, and the definitions only to flags:manage', async () => {
    const mine = featureFlagListResponseSchema.parse(await (await user.fetch('GET', '/api/feature-flags')).json());
    expect(mine).toEqual({ flags: [], snapshot: { uploads: true, 'mcp.server': true, 'agent.tools': true } });
    const opsView = featureFlagListResponseSchema.parse(await (await ops.fetch('GET', '/api/feature-flags')).json());
    expect(opsView.flags).toEqual([]);
    const all = featureFlagListResponseSchema.parse(await (await admin.fetch('GET', '/api/feature-flags')).json());
    expect(all.flags.map((flag) => flag.key)).toEqual(['agent.tools', 'mcp.server', 'uploads']);
    expect(all.flags[2]).toMatchObject({ enabled: true, targeting: everyone, onForYou: true });
    expect(all.flags[2]!.description).toContain('POST /api/documents');
  });

  it('is refused signed out', async () => {
    const response = await new Browser(t).fetch('GET', '/api/feature-flags');
    expect(response.status).toBe(401);
  });
});

describe('POST /api/feature-flags/:flag/toggle', () => {
  it('is for flags:manage only: ops and users get 403 and change nothing', async () => {
    for (const browser of [ops, user]) {
      const response = await toggle(browser, 'uploads', { enabled: false, reason: 'not mine to do' });
      expect(response.status).toBe(403);
      expect(await codeOf(response)).toBe('auth.forbidden');
    }
    expect(await flagRow('uploads')).toMatchObject({ enabled: true });
  });

  it('turns a flag off and on with a reason, audited, and /api/me follows at once', async () => {
    const off = await toggle(admin, 'uploads', { enabled: false, reason: 'storage incident #42' });
    expect(off.status).toBe(200);
    expect(featureFlagResponseSchema.parse(await off.json()).flag).toMatchObject({
      key: 'uploads',
      enabled: false,
      onForYou: false,
    });
    const me = meResponseSchema.parse(await (await user.fetch('GET', '/api/me')).json());
    expect(me.flags).toEqual({ uploads: false, 'mcp.server': true, 'agent.tools': true });
    const entries = await t.db.select().from(auditLog).where(eq(auditLog.target, 'flag:uploads'));
    expect(entries.at(-1)).toMatchObject({
      action: 'flag.toggled',
      detail: { reason: 'storage incident #42', before: { enabled: true }, after: { enabled: false } },
    });
    await toggle(admin, 'uploads', { enabled: true, reason: 'incident over' });
    expect(meResponseSchema.parse(await (await user.fetch('GET', '/api/me')).json()).flags.uploads).toBe(true);
  });

  it('targets by user: on for the listed user only', async () => {
    const response = await toggle(admin, 'uploads', {
      enabled: true,
      targeting: { roles: [], userIds: [userRow.id], percentage: 0 },
      reason: 'pilot user',
    });
    expect(response.status).toBe(200);
    expect(meResponseSchema.parse(await (await user.fetch('GET', '/api/me')).json()).flags.uploads).toBe(true);
    expect(meResponseSchema.parse(await (await ops.fetch('GET', '/api/me')).json()).flags.uploads).toBe(false);
  });

  it.each([
    ['no reason', { enabled: false }, 400, 'request.invalid'],
    ['a blank reason', { enabled: false, reason: '   ' }, 400, 'request.invalid'],
    ['a reason of 501 characters', { enabled: false, reason: 'x'.repeat(501) }, 400, 'request.invalid'],
    ['no state', { reason: 'a reason' }, 400, 'request.invalid'],
    ['enabled as a string', { enabled: 'false', reason: 'a reason' }, 400, 'request.invalid'],
    [
      'percentage 101',
      { enabled: true, targeting: { roles: [], userIds: [], percentage: 101 }, reason: 'r r r' },
      400,
      'request.invalid',
    ],
    [
      'percentage -1',
      { enabled: true, targeting: { roles: [], userIds: [], percentage: -1 }, reason: 'r r r' },
      400,
      'request.invalid',
    ],
    [
      'percentage 12.5',
      { enabled: true, targeting: { roles: [], userIds: [], percentage: 12.5 }, reason: 'r r r' },
      400,
      'request.invalid',
    ],
    [
      'an unknown role',
      { enabled: true, targeting: { roles: ['root'], userIds: [], percentage: 0 }, reason: 'r r r' },
      400,
      'request.invalid',
    ],
    [
      'a user id that is no uuid',
      { enabled: true, targeting: { roles: [], userIds: ["1' or '1'='1"], percentage: 0 }, reason: 'r r r' },
      400,
      'request.invalid',
    ],
    [
      'a user who does not exist',
      {
        enabled: true,
        targeting: { roles: [], userIds: ['00000000-0000-4000-8000-000000000001'], percentage: 0 },
        reason: 'r r r',
      },
      400,
      'request.invalid',
    ],
    [
      '600 user ids (over the 500 limit)',
      {
        enabled: true,
        targeting: {
          roles: [],
          userIds: Array.from({ length: 600 }, (_, i) => `00000000-0000-4000-8000-${i.toString().padStart(12, '0')}`),
          percentage: 0,
        },
        reason: 'r r r',
      },
      400,
      'request.invalid',
    ],
    [
      '10,000 user ids (over the body limit)',
      {
        enabled: true,
        targeting: {
          roles: [],
          userIds: Array.from(
            { length: 10_000 },
            (_, i) => `00000000-0000-4000-8000-${i.toString().padStart(12, '0')}`,
          ),
          percentage: 0,
        },
        reason: 'r r r',
      },
      413,
      'request.too_large',
    ],
  ])('refuses %s, changing nothing', async (_label, body, status, code) => {
    const before = await flagRow('uploads');
    const response = await toggle(admin, 'uploads', body);
    expect(response.status).toBe(status);
    expect(await codeOf(response)).toBe(code);
    expect(await flagRow('uploads')).toEqual(before);
  });

  it.each([
    ['an unknown flag', 'no.such-flag', 404, 'flag.not_found'],
    ['an upper-case key', 'Uploads', 400, 'request.invalid'],
    ['a one-character key', 'u', 400, 'request.invalid'],
    ['a key of 64 characters', 'u'.repeat(64), 400, 'request.invalid'],
    ['an encoded path', '..%2Fusers', 400, 'request.invalid'],
  ])('answers %s with the status and code it should', async (_label, flag, status, code) => {
    const response = await toggle(admin, flag, { enabled: false, reason: 'a reason' });
    expect(response.status).toBe(status);
    expect(await codeOf(response)).toBe(code);
  });
});

describe('gated routes', () => {
  it('uploads: POST /api/documents is 403 flag.off while the flag is off for the caller, stores nothing, and works again', async () => {
    await toggle(admin, 'uploads', { enabled: false, reason: 'storage incident' });
    const refused = await postDocument(user, { filename: 'note.txt', bytes: 'hello' });
    expect(refused.status).toBe(403);
    expect(await codeOf(refused)).toBe('flag.off');
    expect(await t.db.select().from(documents).where(eq(documents.ownerId, userRow.id))).toEqual([]);

    await toggle(admin, 'uploads', { enabled: true, reason: 'incident over' });
    expect((await postDocument(user, { filename: 'note.txt', bytes: 'hello' })).status).toBe(201);
  });

  it('mcp.server: /mcp is 403 flag.off for the token owner while off', async () => {
    const created = await user.fetch('POST', '/api/account/tokens', { body: { name: 'mcp', expiresInDays: 30 } });
    const { secret } = createAccessTokenResponseSchema.parse(await created.json());
    const list = () =>
      t.app.request('http://localhost/mcp', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${secret}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
    await toggle(admin, 'mcp.server', {
      enabled: true,
      targeting: { roles: ['admin'], userIds: [], percentage: 0 },
      reason: 'admins only for now',
    });
    const refused = await list();
    expect(refused.status).toBe(403);
    expect(await codeOf(refused)).toBe('flag.off');

    await toggle(admin, 'mcp.server', { enabled: true, targeting: everyone, reason: 'everyone again' });
    expect((await list()).status).toBe(200);
  });
});
