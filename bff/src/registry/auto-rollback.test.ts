import { releaseHistoryResponseSchema, remoteStatusSchema } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../testing/browser.js';
import { buildOf, createToken, publish } from '../testing/registry-publisher.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
let ops: Browser;
let reporters: Browser[];
beforeAll(async () => {
  t = await createTestApp({
    env: { ATRIUM_CANARY_MIN_SAMPLE: '4', ATRIUM_CANARY_MAX_FAILURE_RATE: '0.5', ATRIUM_CANARY_WINDOW_SECONDS: '300' },
  });
  await t.createUser({ email: 'root@example.com', role: 'admin' });
  ops = new Browser(t);
  await ops.signIn('root@example.com', testPassword);
  const token = await createToken(ops, 'chat-core');
  expect((await publish(t, token, 'chat-core', '1.3.0', buildOf('chat-core', '1.3.0'))).status).toBe(201);
  await ops.fetch('PUT', '/api/registry/remotes/chat-core/canary', {
    body: { version: '1.3.0', percent: 50, reason: 'try' },
  });
  reporters = [];
  for (const name of ['a', 'b', 'c', 'd']) {
    await t.createUser({ email: `${name}@example.com` });
    const browser = new Browser(t);
    await browser.signIn(`${name}@example.com`, testPassword);
    reporters.push(browser);
  }
});
afterAll(() => t.close());

const report = (browser: Browser, outcome: string, extra: Record<string, unknown> = {}) =>
  browser.fetch('POST', '/api/telemetry', {
    body: {
      reports: [{ kind: 'load', report: { remote: 'chat-core', version: '1.3.0', outcome, ms: 900, ...extra } }],
    },
  });
const status = async () =>
  remoteStatusSchema.parse(await (await ops.fetch('GET', '/api/registry/remotes/chat-core')).json());

describe('canary auto-rollback', () => {
  it('ignores anonymous reports, fallback loads and samples below the minimum', async () => {
    for (let i = 0; i < 6; i++) {
      const anonymous = await t.app.request('http://localhost/api/telemetry', {
        method: 'POST',
        headers: { Origin: 'http://localhost', 'Content-Type': 'text/plain' },
        body: JSON.stringify({
          reports: [{ kind: 'load', report: { remote: 'chat-core', version: '1.3.0', outcome: 'error', ms: 1 } }],
        }),
      });
      expect(anonymous.status).toBe(202);
    }
    await report(reporters[0]!, 'error');
    await report(reporters[0]!, 'error');
    await report(reporters[1]!, 'error');
    await report(reporters[2]!, 'error', { fallback: true });
    expect((await status()).release.canaryPercent).toBe(50);
    expect((await status()).canaryHealth).toEqual({ loads: 2, failures: 2, windowSeconds: 300 });
  });

  it('forgets reports older than the window', async () => {
    t.clock.advance(301_000);
    await report(reporters[2]!, 'ok');
    await report(reporters[3]!, 'timeout');
    expect((await status()).canaryHealth).toEqual({ loads: 2, failures: 1, windowSeconds: 300 });
  });

  it('sets the canary to 0% once the failure rate passes the threshold, once, marked automatic', async () => {
    const before = t.releaseEvents.length;
    await Promise.all([report(reporters[0]!, 'integrity_mismatch'), report(reporters[1]!, 'ok')]);
    expect((await status()).release).toMatchObject({
      canary: '1.3.0',
      canaryPercent: 0,
      updatedBy: { kind: 'system' },
    });
    await report(reporters[0]!, 'error');

    const history = releaseHistoryResponseSchema
      .parse(await (await ops.fetch('GET', '/api/registry/remotes/chat-core/history')).json())
      .entries.filter((entry) => entry.action === 'auto_rollback');
    expect(history).toEqual([
      expect.objectContaining({
        automatic: true,
        actor: { kind: 'system' },
        from: { stable: '1.2.3', canary: '1.3.0', canaryPercent: 50 },
        to: { stable: '1.2.3', canary: '1.3.0', canaryPercent: 0 },
        reason: 'auto-rollback: 2 of 4 users failed to load chat-core 1.3.0 (50%) in 5 min',
      }),
    ]);
    expect(t.releaseEvents.slice(before)).toEqual([
      { type: 'release.changed', remote: 'chat-core', reason: history[0]!.reason },
    ]);
  });
});
