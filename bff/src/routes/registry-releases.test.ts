import {
  apiErrorSchema,
  meResponseSchema,
  registryOverviewSchema,
  releaseHistoryResponseSchema,
  releaseResponseSchema,
  remoteMapSchema,
  remoteStatusSchema,
  remoteVersionSchema,
} from '@atrium/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, releases, users } from '../db/schema/index.js';
import { publishBroadcast } from '../realtime/event-log.js';
import { canaryBucket } from '../registry/canary-bucket.js';
import { Browser } from '../testing/browser.js';
import { buildOf, createToken, publish } from '../testing/registry-publisher.js';
import { SseReader } from '../testing/sse-reader.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
let ops: Browser;
beforeAll(async () => {
  t = await createTestApp();
  await t.createUser({ email: 'root@example.com', role: 'admin' });
  await t.createUser({ email: 'ops@example.com', role: 'ops' });
  const admin = new Browser(t);
  await admin.signIn('root@example.com', testPassword);
  ops = new Browser(t);
  await ops.signIn('ops@example.com', testPassword);
  const token = await createToken(admin, 'chat-core');
  for (const version of ['1.3.0', '1.4.0', '1.5.0']) {
    expect((await publish(t, token, 'chat-core', version, buildOf('chat-core', version))).status).toBe(201);
  }
  const v2 = await publish(t, token, 'chat-core', '2.0.0', buildOf('chat-core', '2.0.0'), { contract: 'chat-core@2' });
  expect(v2.status).toBe(201);
});
afterAll(() => t.close());

const codeOf = async (response: Response) => apiErrorSchema.parse(await response.json()).code;
const releaseOf = async (response: Response) => releaseResponseSchema.parse(await response.json()).release;
const mapFor = async (browser: Browser) =>
  remoteMapSchema.parse(await (await browser.fetch('GET', '/api/remotes')).json()).remotes['chat-core']!;

async function signedInUserInBucket(inside: boolean, percent: number, email: string): Promise<Browser> {
  for (let i = 0; ; i++) {
    const address = `${email.replace('@', `+${i}@`)}`;
    const user = await t.createUser({ email: address });
    if (canaryBucket(user.id, 'chat-core') < percent === inside) {
      const browser = new Browser(t);
      await browser.signIn(address, testPassword);
      return browser;
    }
    await t.db.delete(users).where(eq(users.id, user.id));
  }
}

describe('release operations', () => {
  it('starts from the seeded local build', async () => {
    const status = remoteStatusSchema.parse(await (await ops.fetch('GET', '/api/registry/remotes/chat-core')).json());
    expect(status.release).toMatchObject({
      stable: '1.2.3',
      previousStable: null,
      canary: null,
      updatedBy: { kind: 'system' },
    });
    const history = releaseHistoryResponseSchema.parse(
      await (await ops.fetch('GET', '/api/registry/remotes/chat-core/history')).json(),
    );
    expect(history.entries.at(-1)).toMatchObject({ action: 'publish', actor: { kind: 'system' }, version: '1.2.3' });
    expect(history.entries).toContainEqual(
      expect.objectContaining({ action: 'promote', reason: 'seeded from local build' }),
    );
  });

  it('names every actor in the same answer as data the client words: a person by name and email, a deploy token by name and remote', async () => {
    const status = remoteStatusSchema.parse(await (await ops.fetch('GET', '/api/registry/remotes/chat-core')).json());
    const byVersion = new Map(status.versions.map((v) => [v.version, v.publishedBy]));
    expect(byVersion.get('1.2.3')).toEqual({ kind: 'system' });
    expect(byVersion.get('1.3.0')).toEqual({
      kind: 'token',
      id: expect.any(String),
      name: 'chat-core CI',
      remote: 'chat-core',
    });
    const version = remoteVersionSchema.parse(
      await (await ops.fetch('GET', '/api/registry/remotes/chat-core/versions/1.4.0')).json(),
    );
    expect(version.publishedBy).toEqual({
      kind: 'token',
      id: expect.any(String),
      name: 'chat-core CI',
      remote: 'chat-core',
    });
    const history = releaseHistoryResponseSchema.parse(
      await (await ops.fetch('GET', '/api/registry/remotes/chat-core/history')).json(),
    );
    expect(history.entries).toContainEqual(
      expect.objectContaining({
        action: 'publish',
        version: '1.3.0',
        actor: { kind: 'token', id: expect.any(String), name: 'chat-core CI', remote: 'chat-core' },
      }),
    );
    expect(history.entries).toContainEqual(
      expect.objectContaining({
        action: 'publish',
        version: '1.2.3',
        actor: { kind: 'system' },
      }),
    );
  });

  it('refuses callers without releases:write', async () => {
    expect((await new Browser(t).fetch('GET', '/api/registry/remotes/chat-core')).status).toBe(401);
    await t.createUser({ email: 'plain@example.com' });
    const plain = new Browser(t);
    await plain.signIn('plain@example.com', testPassword);
    const body = { version: '1.3.0', reason: 'try' };
    expect((await plain.fetch('POST', '/api/registry/remotes/chat-core/promote', { body })).status).toBe(403);
    expect((await plain.fetch('GET', '/api/registry/remotes')).status).toBe(403);
  });

  it('promotes atomically: stable, previous stable, history, audit, broadcast and the resolved map', async () => {
    const before = t.releaseEvents.length;
    const response = await ops.fetch('POST', '/api/registry/remotes/chat-core/promote', {
      body: { version: '1.3.0', reason: 'weekly release' },
    });
    expect(response.status).toBe(200);
    expect(await releaseOf(response)).toMatchObject({
      stable: '1.3.0',
      previousStable: '1.2.3',
      updatedBy: { kind: 'user', displayName: 'ops', email: 'ops@example.com' },
    });
    expect(t.releaseEvents.slice(before)).toEqual([
      { type: 'release.changed', remote: 'chat-core', reason: 'weekly release' },
    ]);
    expect(await mapFor(new Browser(t))).toMatchObject({
      version: '1.3.0',
      entry: '/remotes/chat-core/1.3.0/remoteEntry.js',
      fallback: { version: '1.2.3', entry: '/remotes/chat-core/1.2.3/remoteEntry.js' },
    });
    const [history] = releaseHistoryResponseSchema.parse(
      await (await ops.fetch('GET', '/api/registry/remotes/chat-core/history?limit=1')).json(),
    ).entries;
    expect(history).toMatchObject({
      action: 'promote',
      from: { stable: '1.2.3', canary: null, canaryPercent: 0 },
      to: { stable: '1.3.0', canary: null, canaryPercent: 0 },
      reason: 'weekly release',
      automatic: false,
      actor: { kind: 'user', displayName: 'ops', email: 'ops@example.com' },
    });
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, 'registry.promote'));
    expect(audit.at(-1)).toMatchObject({
      target: 'remote:chat-core',
      detail: expect.objectContaining({ reason: 'weekly release' }),
    });
  });

  it("reaches open event streams, and a change made elsewhere drops this instance's cached map", async () => {
    const stream = await ops.fetch('GET', '/api/events');
    const reader = new SseReader(stream.body!);
    await reader.untilComment('live');
    await ops.fetch('PUT', '/api/registry/remotes/chat-core/canary', {
      body: { version: '1.4.0', percent: 0, reason: 'staged' },
    });
    expect((await reader.nextEvent())?.event).toEqual({
      type: 'release.changed',
      remote: 'chat-core',
      reason: 'staged',
    });
    await reader.close();

    const anonymous = new Browser(t);
    expect((await mapFor(anonymous)).version).toBe('1.3.0');
    // Another instance: its own writes, the same database and bus.
    await t.db.update(releases).set({ stable: '1.2.3' }).where(eq(releases.remote, 'chat-core'));
    expect((await mapFor(anonymous)).version).toBe('1.3.0');
    await publishBroadcast(
      { db: t.db, bus: t.runtime.bus, clock: t.clock },
      { type: 'release.changed', remote: 'chat-core', reason: 'elsewhere' },
    );
    await expect.poll(async () => (await mapFor(anonymous)).version).toBe('1.2.3');
    await t.db.update(releases).set({ stable: '1.3.0' }).where(eq(releases.remote, 'chat-core'));
    await publishBroadcast(
      { db: t.db, bus: t.runtime.bus, clock: t.clock },
      { type: 'release.changed', remote: 'chat-core', reason: 'restored' },
    );
    await expect.poll(async () => (await mapFor(anonymous)).version).toBe('1.3.0');
  });

  it('refuses a version the running shell cannot mount, with a clear message', async () => {
    const response = await ops.fetch('POST', '/api/registry/remotes/chat-core/promote', {
      body: { version: '2.0.0', reason: 'new contract' },
    });
    expect(response.status).toBe(409);
    const error = apiErrorSchema.parse(await response.json());
    expect(error.code).toBe('registry.contract_incompatible');
    expect(error.message).toBe(
      'chat-core 2.0.0 speaks chat-core@2, but the running shell mounts chat-core@1 only — release a shell that supports it first.',
    );
    const canary = await ops.fetch('PUT', '/api/registry/remotes/chat-core/canary', {
      body: { version: '2.0.0', percent: 10, reason: 'new contract' },
    });
    expect(await codeOf(canary)).toBe('registry.contract_incompatible');
  });

  it('gives a canary to a sticky share of signed-in users, and stable to everyone else', async () => {
    const set = await ops.fetch('PUT', '/api/registry/remotes/chat-core/canary', {
      body: { version: '1.4.0', percent: 30, reason: 'try 1.4' },
    });
    expect(await releaseOf(set)).toMatchObject({ stable: '1.3.0', canary: '1.4.0', canaryPercent: 30 });

    const inside = await signedInUserInBucket(true, 30, 'in@example.com');
    expect(await mapFor(inside)).toMatchObject({ version: '1.4.0', fallback: { version: '1.3.0' } });
    const sameUserElsewhere = new Browser(t);
    const { email } = meResponseSchema.parse(await (await inside.fetch('GET', '/api/me')).json()).user;
    await sameUserElsewhere.signIn(email, testPassword);
    expect((await mapFor(sameUserElsewhere)).version).toBe('1.4.0');

    expect((await mapFor(await signedInUserInBucket(false, 30, 'out@example.com'))).version).toBe('1.3.0');
    expect((await mapFor(new Browser(t))).version).toBe('1.3.0');

    const page = await inside.fetch('GET', '/', { headers: { Accept: 'text/html' } });
    expect(await page.text()).toContain('/remotes/chat-core/1.4.0/remoteEntry.js');

    const off = await ops.fetch('PUT', '/api/registry/remotes/chat-core/canary', {
      body: { version: '1.4.0', percent: 0, reason: 'pause' },
    });
    expect((await releaseOf(off)).canaryPercent).toBe(0);
    expect((await mapFor(inside)).version).toBe('1.3.0');
  });

  it('promoting the canary clears it; rollback withdraws a running canary, then returns to the previous stable', async () => {
    await ops.fetch('PUT', '/api/registry/remotes/chat-core/canary', {
      body: { version: '1.4.0', percent: 50, reason: 'again' },
    });
    const promoted = await releaseOf(
      await ops.fetch('POST', '/api/registry/remotes/chat-core/promote', {
        body: { version: '1.4.0', reason: 'good' },
      }),
    );
    expect(promoted).toMatchObject({ stable: '1.4.0', previousStable: '1.3.0', canary: null, canaryPercent: 0 });

    await ops.fetch('PUT', '/api/registry/remotes/chat-core/canary', {
      body: { version: '1.5.0', percent: 5, reason: 'next' },
    });
    const withdrawn = await releaseOf(
      await ops.fetch('POST', '/api/registry/remotes/chat-core/rollback', { body: { reason: 'canary errors' } }),
    );
    expect(withdrawn).toMatchObject({ stable: '1.4.0', previousStable: '1.3.0', canary: null, canaryPercent: 0 });
    const rolledBack = await releaseOf(
      await ops.fetch('POST', '/api/registry/remotes/chat-core/rollback', { body: { reason: 'errors spiking' } }),
    );
    expect(rolledBack).toMatchObject({ stable: '1.3.0', previousStable: '1.2.3', canary: null, canaryPercent: 0 });

    const explicit = await ops.fetch('POST', '/api/registry/remotes/chat-core/rollback', {
      body: { version: '1.2.3', reason: 'further back' },
    });
    expect((await releaseOf(explicit)).stable).toBe('1.2.3');
    const nowhere = await ops.fetch('POST', '/api/registry/remotes/chat-core/rollback', { body: { reason: 'again' } });
    expect(nowhere.status).toBe(409);
    expect(await codeOf(nowhere)).toBe('registry.no_rollback_target');
    const forward = await ops.fetch('POST', '/api/registry/remotes/chat-core/rollback', {
      body: { version: '1.5.0', reason: 'forward' },
    });
    expect(await codeOf(forward)).toBe('registry.no_rollback_target');
  });

  it('yanks: never the stable, clears the canary, and a yanked version cannot be released', async () => {
    const stable = await ops.fetch('POST', '/api/registry/remotes/chat-core/versions/1.2.3/yank', {
      body: { reason: 'bad' },
    });
    expect(stable.status).toBe(409);
    expect(await codeOf(stable)).toBe('registry.version_in_use');

    await ops.fetch('PUT', '/api/registry/remotes/chat-core/canary', {
      body: { version: '1.5.0', percent: 10, reason: 'try' },
    });
    const yanked = await ops.fetch('POST', '/api/registry/remotes/chat-core/versions/1.5.0/yank', {
      body: { reason: 'leaks tokens' },
    });
    expect(await releaseOf(yanked)).toMatchObject({ canary: null, canaryPercent: 0 });
    for (const [method, path, body] of [
      ['POST', '/api/registry/remotes/chat-core/promote', { version: '1.5.0', reason: 'oops' }],
      ['PUT', '/api/registry/remotes/chat-core/canary', { version: '1.5.0', percent: 1, reason: 'oops' }],
    ] as const) {
      const response = await ops.fetch(method, path, { body });
      expect(response.status).toBe(409);
      expect(await codeOf(response)).toBe('registry.version_yanked');
    }
    expect((await t.app.request('http://localhost/remotes/chat-core/1.5.0/remoteEntry.js')).status).toBe(404);
    const version = remoteVersionSchema.parse(
      await (await ops.fetch('GET', '/api/registry/remotes/chat-core/versions/1.5.0')).json(),
    );
    expect(version.status).toBe('yanked');
  });

  it('answers 404 for unknown remotes and versions, 400 for bad bodies', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['GET', '/api/registry/remotes/nope', undefined, 404, 'registry.not_found'],
      ['GET', '/api/registry/remotes/chat-core/versions/9.9.9', undefined, 404, 'registry.not_found'],
      [
        'POST',
        '/api/registry/remotes/chat-core/promote',
        { version: '9.9.9', reason: 'nope' },
        404,
        'registry.not_found',
      ],
      ['POST', '/api/registry/remotes/nope/rollback', { reason: 'nope' }, 404, 'registry.not_found'],
      ['POST', '/api/registry/remotes/chat-core/promote', { version: '1.3.0' }, 400, 'request.invalid'],
      [
        'PUT',
        '/api/registry/remotes/chat-core/canary',
        { version: '1.3.0', percent: 101, reason: 'x'.repeat(5) },
        400,
        'request.invalid',
      ],
      ['GET', '/api/registry/remotes/chat-core/history?before=abc', undefined, 400, 'request.invalid_cursor'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const response = await ops.fetch(method, path, body === undefined ? {} : { body });
      expect(response.status, `${method} ${path}`).toBe(status);
      expect(await codeOf(response)).toBe(code);
    }
  });

  it('pages history newest first and lists every remote in the overview', async () => {
    const first = releaseHistoryResponseSchema.parse(
      await (await ops.fetch('GET', '/api/registry/remotes/chat-core/history?limit=3')).json(),
    ).entries;
    const next = releaseHistoryResponseSchema.parse(
      await (
        await ops.fetch('GET', `/api/registry/remotes/chat-core/history?limit=3&before=${first.at(-1)!.id}`)
      ).json(),
    ).entries;
    const ids = [...first, ...next].map((entry) => Number(entry.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(6);
    const overview = registryOverviewSchema.parse(await (await ops.fetch('GET', '/api/registry/remotes')).json());
    expect(overview.remotes.map((r) => r.release.remote).sort()).toEqual([
      'admin',
      'auth-ui',
      'chat-core',
      'upload-ui',
    ]);
    const chatCore = overview.remotes.find((r) => r.release.remote === 'chat-core')!;
    expect(chatCore.lastChange).toEqual(first[0]);
    const single = remoteStatusSchema.parse(await (await ops.fetch('GET', '/api/registry/remotes/chat-core')).json());
    expect(single.lastChange).toEqual(first[0]);
    for (const status of overview.remotes) {
      const [newest] = releaseHistoryResponseSchema.parse(
        await (await ops.fetch('GET', `/api/registry/remotes/${status.release.remote}/history?limit=1`)).json(),
      ).entries;
      expect(status.lastChange).toEqual(newest ?? null);
    }
  });

  it('serialises concurrent changes: every one is in the history, the final state is one of them', async () => {
    const results = await Promise.all(
      ['1.3.0', '1.4.0'].map((version) =>
        ops.fetch('POST', '/api/registry/remotes/chat-core/promote', { body: { version, reason: `race ${version}` } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const [latest, earlier] = releaseHistoryResponseSchema.parse(
      await (await ops.fetch('GET', '/api/registry/remotes/chat-core/history?limit=2')).json(),
    ).entries;
    expect(latest!.from.stable).toBe(earlier!.to.stable);
  });
});
