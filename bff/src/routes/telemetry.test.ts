import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientReports } from '../db/schema/index.js';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('POST /api/telemetry', () => {
  it('stores load reports and shared mismatches, with the user when signed in', async () => {
    const user = await t.createUser({ email: 'ada@example.com' });
    const browser = new Browser(t);
    await browser.signIn('ada@example.com', testPassword);
    const response = await browser.fetch('POST', '/api/telemetry', {
      headers: { 'X-CSRF-Token': '' },
      body: {
        reports: [
          { kind: 'load', report: { remote: 'chat-core', version: '1.2.3', outcome: 'timeout', ms: 8000 } },
          {
            kind: 'shared_mismatch',
            report: { package: 'react', required: '^19', loaded: '18.3.1', consumer: 'admin' },
          },
        ],
      },
    });
    expect(response.status).toBe(202);
    const rows = await t.db.select().from(clientReports);
    expect(rows).toHaveLength(2);
    expect(rows).toContainEqual(
      expect.objectContaining({ kind: 'load', remote: 'chat-core', outcome: 'timeout', ms: 8000, userId: user.id }),
    );
    expect(t.logs).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'shared singleton mismatch' }));
  });

  it('accepts a beacon body sent as text/plain', async () => {
    const response = await t.app.request('http://localhost/api/telemetry', {
      method: 'POST',
      headers: { Origin: 'http://localhost', 'Content-Type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({
        reports: [{ kind: 'load', report: { remote: 'admin', version: '1.0.0', outcome: 'ok', ms: 12 } }],
      }),
    });
    expect(response.status).toBe(202);
  });

  it('refuses an empty or oversized batch', async () => {
    const browser = new Browser(t);
    expect((await browser.fetch('POST', '/api/telemetry', { body: { reports: [] } })).status).toBe(400);
    const report = { kind: 'load', report: { remote: 'admin', version: '1', outcome: 'ok', ms: 1 } };
    const tooMany = { reports: Array.from({ length: 51 }, () => report) };
    expect((await browser.fetch('POST', '/api/telemetry', { body: tooMany })).status).toBe(400);
  });
});
