import {
  apiErrorSchema,
  approvalsResponseSchema,
  evalRunResponseSchema,
  evalRunsResponseSchema,
  latencyResponseSchema,
  type Role,
  remoteLoadsResponseSchema,
} from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessToken } from '../auth/access-tokens.js';
import { quantileOf } from '../dashboards/dashboards.js';
import { clientReports, drafts, releases, requestRollups } from '../db/schema/index.js';
import { createLogger } from '../logger.js';
import { createRequestRollup, latencyBucketOf } from '../middleware/request-rollup.js';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
const people = new Map<string, { browser: Browser; userId: string }>();

async function person(name: string, role: Role) {
  const user = await t.createUser({ email: `${name}@example.com`, role });
  const browser = new Browser(t);
  await browser.signIn(`${name}@example.com`, testPassword);
  people.set(name, { browser, userId: user.id });
}
const as = (name: string) => people.get(name)!;

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(apiErrorSchema.parse(await response.json()).code).toBe(code);
}

const hour = 3_600_000;
// The test clock starts at 2030-01-01T09:00:00Z.
const range = (bucket: string, from = '2030-01-01T00:00:00Z', to = '2030-01-02T00:00:00Z') =>
  `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&bucket=${bucket}`;

beforeAll(async () => {
  t = await createTestApp({ env: { ATRIUM_WORKER: 'off' } });
  await person('ops', 'ops');
  await person('admin', 'admin');
  await person('user', 'user');
});
afterAll(() => t.close());

describe('request rollup', () => {
  it('estimates quantiles from histogram buckets, interpolating within one', () => {
    expect(quantileOf([], 0.5)).toBe(0);
    // 10 requests in (5, 10] ms: the median is halfway through that bucket.
    expect(quantileOf([0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0.5)).toBe(7.5);
    // Slower than every bound: reported as the top bound.
    expect(quantileOf([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3], 0.95)).toBe(10_000);
    expect(latencyBucketOf(5)).toBe(0);
    expect(latencyBucketOf(5.1)).toBe(1);
    expect(latencyBucketOf(60_000)).toBe(11);
  });

  it('batches in memory, upserts on flush, and two instances add up in the same rows', async () => {
    await t.requestRollup.flush(); // what the sign-ins above recorded
    await t.db.delete(requestRollups);
    const logger = createLogger('silent', () => undefined);
    const other = createRequestRollup({ db: t.db, clock: t.clock, logger, flushMs: 0 });
    const route = { route: '/api/things/:id', method: 'GET' };
    t.requestRollup.record({ ...route, status: 200, ms: 3 });
    t.requestRollup.record({ ...route, status: 200, ms: 30 });
    other.record({ ...route, status: 200, ms: 300 });
    other.record({ ...route, status: 503, ms: 4 });
    expect(await t.db.select().from(requestRollups)).toEqual([]); // nothing written before a flush
    await t.requestRollup.flush();
    await other.close();
    t.requestRollup.record({ ...route, status: 204, ms: 3 });
    await t.requestRollup.flush();
    const rows = await t.db.select().from(requestRollups);
    const ok = rows.find((row) => row.statusClass === '2xx')!;
    expect(ok).toMatchObject({ minute: new Date('2030-01-01T09:00:00Z'), count: 4, sumMs: 336 });
    expect(ok.buckets).toEqual([2, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0]);
    expect(rows.find((row) => row.statusClass === '5xx')).toMatchObject({
      count: 1,
      buckets: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
  });

  it('records API requests by route pattern, and serves p50/p95 per bucket', async () => {
    await t.db.delete(requestRollups);
    await as('user').browser.fetch('GET', `/api/chats/${crypto.randomUUID()}`);
    await as('user').browser.fetch('GET', '/api/me');
    await t.requestRollup.flush();
    const routes = (await t.db.select().from(requestRollups)).map(
      (row) => `${row.method} ${row.route} ${row.statusClass}`,
    );
    expect(routes).toContain('GET /api/chats/:id 4xx');
    expect(routes.filter((route) => /[0-9a-f]{8}-[0-9a-f]{4}/.test(route))).toEqual([]); // never a raw path

    await t.db.delete(requestRollups);
    await t.db.insert(requestRollups).values([
      {
        minute: new Date('2030-01-01T09:01:00Z'),
        route: '/a',
        method: 'GET',
        statusClass: '2xx',
        count: 10,
        sumMs: 75,
        buckets: [0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      },
      {
        minute: new Date('2030-01-01T09:59:00Z'),
        route: '/b',
        method: 'GET',
        statusClass: '5xx',
        count: 10,
        sumMs: 7500,
        buckets: [0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0],
      },
      {
        minute: new Date('2030-01-01T10:00:00Z'),
        route: '/a',
        method: 'GET',
        statusClass: '2xx',
        count: 1,
        sumMs: 1,
        buckets: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      },
    ]);
    const response = await as('ops').browser.fetch('GET', `/api/dashboards/latency?${range('hour')}`);
    expect(response.status).toBe(200);
    const { points } = latencyResponseSchema.parse(await response.json());
    expect(points).toEqual([
      // 20 requests: half in (5, 10] ms and half in (500, 1000] ms.
      { bucketStart: '2030-01-01T09:00:00Z', count: 20, errors: 10, p50Ms: 10, p95Ms: 950 },
      { bucketStart: '2030-01-01T10:00:00Z', count: 1, errors: 0, p50Ms: 2.5, p95Ms: 4.8 },
    ]);
  });
});

describe('dashboards', () => {
  it('serves remote loads by version and channel, with the failures behind them', async () => {
    await t.db
      .insert(releases)
      .values({ remote: 'dash-test', stable: '1.0.0', canary: '1.1.0', canaryPercent: 10, updatedAt: t.clock.now() });
    const at = (iso: string) => new Date(iso);
    const load = (version: string, outcome: string, when: string, detail?: string) => ({
      at: at(when),
      kind: 'load',
      remote: 'dash-test',
      version,
      outcome,
      ms: 120,
      detail: detail ? { detail, fallback: false } : { fallback: false },
    });
    await t.db.insert(clientReports).values([
      load('1.0.0', 'ok', '2030-01-01T08:10:00Z'),
      load('1.0.0', 'ok', '2030-01-01T08:20:00Z'),
      load('1.1.0', 'ok', '2030-01-01T08:30:00Z'),
      load('1.1.0', 'timeout', '2030-01-01T08:40:00Z', 'no answer in 10 s'),
      load('0.9.0', 'integrity_mismatch', '2030-01-01T09:05:00Z', 'sha384 differs'),
      load('1.0.0', 'error', '2030-01-03T00:00:00Z', 'outside the range'),
      {
        at: at('2030-01-01T08:15:00Z'),
        kind: 'shared_mismatch',
        remote: 'dash-test',
        version: 'x',
        outcome: null,
        ms: null,
      },
    ]);
    const response = await as('admin').browser.fetch('GET', `/api/dashboards/remote-loads?${range('hour')}`);
    const body = remoteLoadsResponseSchema.parse(await response.json());
    const mine = body.points.filter((p) => p.remote === 'dash-test');
    expect(mine).toEqual([
      {
        bucketStart: '2030-01-01T08:00:00Z',
        remote: 'dash-test',
        version: '1.0.0',
        channel: 'stable',
        loads: 2,
        failures: 0,
      },
      {
        bucketStart: '2030-01-01T08:00:00Z',
        remote: 'dash-test',
        version: '1.1.0',
        channel: 'canary',
        loads: 2,
        failures: 1,
      },
      {
        bucketStart: '2030-01-01T09:00:00Z',
        remote: 'dash-test',
        version: '0.9.0',
        channel: 'other',
        loads: 1,
        failures: 1,
      },
    ]);
    expect(body.failures.filter((f) => f.remote === 'dash-test')).toEqual([
      {
        at: '2030-01-01T09:05:00.000Z',
        remote: 'dash-test',
        version: '0.9.0',
        outcome: 'integrity_mismatch',
        ms: 120,
        detail: 'sha384 differs',
      },
      {
        at: '2030-01-01T08:40:00.000Z',
        remote: 'dash-test',
        version: '1.1.0',
        outcome: 'timeout',
        ms: 120,
        detail: 'no answer in 10 s',
      },
    ]);
  });

  it('serves pending approvals with their age', async () => {
    const requester = as('user').userId;
    const draft = (status: 'pending' | 'executed', ageHours: number) => {
      const createdAt = new Date(t.clock.now().getTime() - ageHours * hour);
      return {
        tool: 'write_note',
        risk: 'low' as const,
        arguments: {},
        summary: 'a note',
        status,
        requesterId: requester,
        levels: [],
        deciderRoles: ['approver' as const],
        expiresAt: new Date(t.clock.now().getTime() + hour),
        createdAt,
        updatedAt: createdAt,
      };
    };
    await t.db
      .insert(drafts)
      .values([draft('pending', 0.5), draft('pending', 2), draft('pending', 30), draft('executed', 50)]);
    const response = await as('ops').browser.fetch('GET', '/api/dashboards/approvals');
    const body = approvalsResponseSchema.parse(await response.json());
    expect(body.pending).toBe(3);
    expect(body.oldest.map((d) => d.ageSeconds)).toEqual([30 * 3_600, 2 * 3_600, 1_800]);
    expect(body.byAge).toEqual([
      { label: 'lt_1h', count: 1 },
      { label: '1h_4h', count: 1 },
      { label: '4h_24h', count: 0 },
      { label: 'gt_24h', count: 1 },
    ]);
  });

  it('is for dashboards:read only and refuses unbounded or hostile ranges', async () => {
    for (const path of [
      '/api/dashboards/latency',
      '/api/dashboards/remote-loads',
      '/api/dashboards/approvals',
      '/api/evals/runs',
    ]) {
      await expectError(await as('user').browser.fetch('GET', `${path}?${range('hour')}`), 403, 'auth.forbidden');
      await expectError(await new Browser(t).fetch('GET', `${path}?${range('hour')}`), 401, 'auth.required');
    }
    const ops = as('ops').browser;
    for (const query of [
      '',
      range('hour', '2030-01-02T00:00:00Z', '2030-01-01T00:00:00Z'),
      range('hour', '2030-01-01T00:00:00Z', '2030-01-01T00:00:00Z'),
      range('minute', '2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z'), // 1440 points
      range('day', '2000-01-01T00:00:00Z', '2030-01-01T00:00:00Z'),
      range('week'),
      range('hour', 'yesterday', 'today'),
      range("hour'; drop table request_rollups; --"),
    ]) {
      await expectError(await ops.fetch('GET', `/api/dashboards/latency?${query}`), 400, 'request.invalid');
    }
    const ok = await ops.fetch(
      'GET',
      `/api/dashboards/remote-loads?${range('day', '2029-01-01T00:00:00+08:00', '2030-01-01T00:00:00Z')}`,
    );
    expect(ok.status).toBe(200);
  });
});

describe('eval runs', () => {
  it('accepts runs from an evals token of an ops user or an admin session, and lists them newest first', async () => {
    const post = (headers: Record<string, string>, body: unknown) =>
      t.app.request('/api/evals/runs', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const now = t.clock.now();
    const opsToken = await createAccessToken(t.db, {
      userId: as('ops').userId,
      name: 'evals',
      scopes: ['evals'],
      expiresAt: null,
      now,
    });
    const mcpToken = await createAccessToken(t.db, {
      userId: as('ops').userId,
      name: 'mcp',
      scopes: ['mcp'],
      expiresAt: null,
      now,
    });
    const usersToken = await createAccessToken(t.db, {
      userId: as('user').userId,
      name: 'evals',
      scopes: ['evals'],
      expiresAt: null,
      now,
    });

    const reported = await post(
      { Authorization: `Bearer ${opsToken.secret}` },
      { name: 'nightly', passed: 96, total: 98, detail: { model: 'gpt-4o-mini' } },
    );
    expect(reported.status).toBe(201);
    expect(evalRunResponseSchema.parse(await reported.json()).run).toMatchObject({
      name: 'nightly',
      passRate: 96 / 98,
    });
    await expectError(
      await post({ Authorization: `Bearer ${mcpToken.secret}` }, { name: 'x', passed: 1, total: 1 }),
      401,
      'token.invalid',
    );
    await expectError(
      await post({ Authorization: `Bearer ${usersToken.secret}` }, { name: 'x', passed: 1, total: 1 }),
      401,
      'token.invalid',
    );
    await expectError(
      await post({ Authorization: 'Bearer atr_forged' }, { name: 'x', passed: 1, total: 1 }),
      401,
      'token.invalid',
    );
    // No token and no session: the CSRF check refuses before anything else.
    expect((await post({}, { name: 'x', passed: 1, total: 1 })).status).toBe(403);
    for (const body of [
      { name: 'x', passed: 5, total: 4 },
      { name: 'x', passed: -1, total: 4 },
      { name: 'x', passed: 1, total: 0 },
      { name: '', passed: 1, total: 1 },
      { name: 'x', passed: 1.5, total: 2 },
      { name: 'x'.repeat(201), passed: 1, total: 1 },
    ]) {
      await expectError(await post({ Authorization: `Bearer ${opsToken.secret}` }, body), 400, 'request.invalid');
    }
    await expectError(
      await as('user').browser.fetch('POST', '/api/evals/runs', { body: { name: 'x', passed: 1, total: 1 } }),
      403,
      'auth.forbidden',
    );
    t.clock.advance(1_000);
    const bySession = await as('admin').browser.fetch('POST', '/api/evals/runs', {
      body: { name: 'by hand', passed: 1, total: 2 },
    });
    expect(bySession.status).toBe(201);

    const list = await as('ops').browser.fetch('GET', '/api/evals/runs?limit=10');
    const { runs } = evalRunsResponseSchema.parse(await list.json());
    expect(runs.map((run) => [run.name, run.passRate])).toEqual([
      ['by hand', 0.5],
      ['nightly', 96 / 98],
    ]);
    await expectError(await as('ops').browser.fetch('GET', '/api/evals/runs?limit=100000'), 400, 'request.invalid');
  });
});
