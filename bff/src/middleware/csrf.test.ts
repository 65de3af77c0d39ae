import { apiErrorSchema } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
let signedIn: Browser;
beforeAll(async () => {
  t = await createTestApp();
  await t.createUser({ email: 'ada@example.com' });
  signedIn = new Browser(t);
  await signedIn.signIn('ada@example.com', testPassword);
});
afterAll(() => t.close());

async function codeOf(response: Response) {
  return { status: response.status, code: apiErrorSchema.parse(await response.json()).code };
}

const refused = { status: 403, code: 'auth.csrf_failed' };

describe('CSRF protection on state-changing requests', () => {
  it('lets a same-origin request with the session token through', async () => {
    expect(
      (await signedIn.fetch('POST', '/api/account/password', { body: { currentPassword: 'x', newPassword: 'y' } }))
        .status,
    ).toBe(400);
  });

  it('refuses a missing token', async () => {
    const response = await signedIn.fetch('POST', '/api/auth/sign-out', { headers: { 'X-CSRF-Token': '' } });
    expect(await codeOf(response)).toEqual(refused);
  });

  it('refuses a wrong token', async () => {
    const response = await signedIn.fetch('POST', '/api/auth/sign-out', { headers: { 'X-CSRF-Token': 'forged' } });
    expect(await codeOf(response)).toEqual(refused);
  });

  it('refuses a cross-site request by Fetch Metadata', async () => {
    const response = await signedIn.fetch('POST', '/api/auth/sign-out', {
      headers: { 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(await codeOf(response)).toEqual(refused);
  });

  it('refuses a foreign Origin', async () => {
    const response = await signedIn.fetch('POST', '/api/auth/sign-out', {
      headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(await codeOf(response)).toEqual(refused);
  });

  it('refuses a request that carries neither Origin nor Sec-Fetch-Site', async () => {
    const response = await t.app.request('http://localhost/api/auth/sign-out', {
      method: 'POST',
      headers: {
        Cookie: `atrium_session=${signedIn.sessionCookie()}`,
        'X-CSRF-Token': signedIn.csrfToken!,
        'Content-Type': 'application/json',
      },
      body: '{}',
    });
    expect(await codeOf(response)).toEqual(refused);
  });

  it.each([
    ['no Content-Type', {}],
    ['a form Content-Type', { 'Content-Type': 'application/x-www-form-urlencoded' }],
    ['text/plain', { 'Content-Type': 'text/plain' }],
  ])('refuses a body sent with %s', async (_label, contentType) => {
    const response = await t.app.request('http://localhost/api/auth/sign-out', {
      method: 'POST',
      headers: {
        Origin: 'http://localhost',
        'Sec-Fetch-Site': 'same-origin',
        Cookie: `atrium_session=${signedIn.sessionCookie()}`,
        'X-CSRF-Token': signedIn.csrfToken!,
        ...contentType,
      },
      body: 'email=a',
    });
    expect(await codeOf(response)).toEqual({ status: 415, code: 'request.unsupported_media_type' });
  });

  it('checks the pre-session double-submit token at sign-in', async () => {
    const browser = new Browser(t);
    await browser.fetch('GET', '/api/auth/csrf');
    browser.csrfToken = 'not-the-cookie-value';
    const forged = await browser.fetch('POST', '/api/auth/sign-in', {
      body: { email: 'ada@example.com', password: testPassword },
    });
    expect(await codeOf(forged)).toEqual(refused);

    const noCookie = new Browser(t);
    noCookie.csrfToken = 'anything';
    const withoutCookie = await noCookie.fetch('POST', '/api/auth/sign-in', {
      body: { email: 'ada@example.com', password: testPassword },
    });
    expect(await codeOf(withoutCookie)).toEqual(refused);
  });

  it('exempts telemetry from the token but not from the Origin check', async () => {
    const body = { reports: [{ kind: 'load', report: { remote: 'admin', version: '1.0.0', outcome: 'ok', ms: 5 } }] };
    const anonymous = new Browser(t);
    expect((await anonymous.fetch('POST', '/api/telemetry', { body })).status).toBe(202);
    const foreign = await anonymous.fetch('POST', '/api/telemetry', {
      body,
      headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(await codeOf(foreign)).toEqual(refused);
  });
});
