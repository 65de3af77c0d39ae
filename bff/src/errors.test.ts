import { apiErrorSchema, csrfResponseSchema } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from './testing/browser.js';
import { createTestApp, type TestApp } from './testing/test-app.js';

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  t = await createTestApp({ env: { ATRIUM_BODY_LIMIT_KB: '1' } });
  browser = new Browser(t);
  const csrf = await browser.fetch('GET', '/api/auth/csrf');
  browser.csrfToken = csrfResponseSchema.parse(await csrf.json()).csrfToken;
});
afterAll(() => t.close());

async function errorOf(response: Response) {
  return { status: response.status, ...apiErrorSchema.parse(await response.json()) };
}

async function sendRaw(body: string) {
  return t.app.request('http://localhost/api/auth/sign-in', {
    method: 'POST',
    headers: {
      Origin: 'http://localhost',
      'Content-Type': 'application/json',
      'X-CSRF-Token': browser.csrfToken!,
      Cookie: `atrium_csrf=${browser.csrfToken}`,
    },
    body,
  });
}

describe('bad input never becomes a 500', () => {
  it('answers malformed JSON with 400 request.invalid', async () => {
    expect(await errorOf(await sendRaw('{"email": '))).toMatchObject({ status: 400, code: 'request.invalid' });
  });

  it('answers wrong types with 400 and the issues', async () => {
    const error = await errorOf(await sendRaw(JSON.stringify({ email: 42, password: ['x'] })));
    expect(error).toMatchObject({ status: 400, code: 'request.invalid' });
    expect(error.issues?.map((issue) => issue.path).sort()).toEqual(['email', 'password']);
  });

  it('answers a body over the limit with 413', async () => {
    const huge = JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(4096) });
    expect(await errorOf(await sendRaw(huge))).toMatchObject({ status: 413, code: 'request.too_large' });
  });

  it('checks the body of every method that may carry one (only GET and HEAD are skipped)', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const response = await t.app.request('http://localhost/api/chats/00000000-0000-4000-8000-000000000000', {
        method,
        headers: {
          Origin: 'http://localhost',
          'Content-Type': 'application/json',
          'X-CSRF-Token': browser.csrfToken!,
          Cookie: `atrium_csrf=${browser.csrfToken}`,
        },
        body: JSON.stringify({ title: 'x'.repeat(4096) }),
      });
      expect(await errorOf(response), method).toMatchObject({ status: 413, code: 'request.too_large' });
    }
  });

  it('answers a streamed body over the limit with 413 too', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(1024));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await t.app.request('http://localhost/api/auth/sign-in', {
      method: 'POST',
      headers: {
        Origin: 'http://localhost',
        'Content-Type': 'application/json',
        'X-CSRF-Token': browser.csrfToken!,
        Cookie: `atrium_csrf=${browser.csrfToken}`,
      },
      body,
      duplex: 'half',
    });
    expect(await errorOf(response)).toMatchObject({ status: 413, code: 'request.too_large' });
  });

  it('answers an unknown API route with 404 route.not_found and the request id', async () => {
    const response = await t.app.request('http://localhost/api/nope', {
      headers: { 'X-Request-Id': 'trace-12345678' },
    });
    expect(await errorOf(response)).toMatchObject({
      status: 404,
      code: 'route.not_found',
      requestId: 'trace-12345678',
    });
  });
});
