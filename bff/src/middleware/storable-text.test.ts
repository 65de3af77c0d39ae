import { apiErrorSchema, chatResponseSchema } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
let admin: Browser;
const adminEmail = 'root@example.com';

async function signedInAdmin(): Promise<Browser> {
  // Some routes end the session they are sent with (sign-out); the next request needs a new one.
  if (admin.sessionCookie()) return admin;
  admin = new Browser(t);
  expect((await admin.signIn(adminEmail, testPassword)).status).toBe(200);
  return admin;
}

beforeAll(async () => {
  // A configured webhook, so its probes meet its signature check rather than its 503 (not configured).
  t = await createTestApp({ env: { ATRIUM_BILLING_WEBHOOK_SECRET: 'storable-text-webhook-secret-0123' } });
  await t.createUser({ email: adminEmail, role: 'admin' });
  admin = new Browser(t);
});
afterAll(() => t.close());

async function outcome(response: Response): Promise<{ status: number; code: string | null }> {
  if (!response.headers.get('content-type')?.startsWith('application/json')) {
    // An event stream that opened never ends by itself.
    await response.body?.cancel();
    return { status: response.status, code: null };
  }
  const parsed = apiErrorSchema.safeParse(await response.json());
  return { status: response.status, code: parsed.success ? parsed.data.code : null };
}

/** A plausible value for each path parameter, so only the parameter under test is wrong. */
const validParams: Record<string, string> = {
  name: 'chat-core',
  version: '1.0.0',
  id: '00000000-0000-4000-8000-000000000000',
  sha384: 'a'.repeat(96),
  '*': 'remoteEntry.js',
};

/** Every handler the app routes to (middleware entries are `ALL`), each once. */
function appRoutes(): { method: string; path: string }[] {
  const seen = new Map<string, { method: string; path: string }>();
  for (const route of t.app.routes) {
    if (route.method === 'ALL') continue;
    seen.set(`${route.method} ${route.path}`, { method: route.method, path: route.path });
  }
  return [...seen.values()];
}

const paramsOf = (path: string) => path.split('/').filter((segment) => segment.startsWith(':') || segment === '*');

function fillPath(path: string, override: { param: string; value: string } | null): string {
  return path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':') && segment !== '*') return segment;
      const name = segment === '*' ? '*' : segment.slice(1);
      return override?.param === segment ? override.value : (validParams[name] ?? 'x');
    })
    .join('/');
}

const nul = 'a\u0000b';
const loneSurrogate = 'a\ud800b';
/** What a URL can carry: `%00` decodes to U+0000; `%ED%A0%80` is U+D800 in (invalid) UTF-8. */
const urlValues = { nul: 'a%00b', surrogate: 'a%ED%A0%80b' };

interface Probe {
  label: string;
  method: string;
  url: string;
  body?: unknown;
  /** The same body with storable text: a route that ignores its body answers both alike. */
  control?: unknown;
  /** True when the refusal must be `request.invalid_text`, not merely anything below 500. */
  mustRefuseText: boolean;
}

const bodyShapes = (value: string) => ({
  field: { title: value, content: value, name: value, displayName: value, email: value, password: value },
  nested: { reports: [{ kind: 'load', report: { remote: 'chat-core', version: value } }] },
  key: { files: [{ [value]: 'x' }] },
});

function probesFor(route: { method: string; path: string }): Probe[] {
  const probes: Probe[] = [];
  const label = `${route.method} ${route.path}`;
  for (const param of paramsOf(route.path)) {
    for (const [kind, value] of Object.entries(urlValues)) {
      probes.push({
        label: `${label} (${param} = ${kind})`,
        method: route.method,
        url: fillPath(route.path, { param, value }),
        mustRefuseText: kind === 'nul',
      });
    }
  }
  for (const [kind, value] of Object.entries(urlValues)) {
    probes.push({
      label: `${label} (query ${kind})`,
      method: route.method,
      url: `${fillPath(route.path, null)}?q=${value}&cursor=${value}&action=${value}&${value}=1`,
      mustRefuseText: kind === 'nul',
    });
  }
  if (route.method !== 'GET') {
    const controls = bodyShapes('ab');
    for (const [kind, value] of Object.entries({ nul, surrogate: loneSurrogate })) {
      for (const [shape, body] of Object.entries(bodyShapes(value))) {
        probes.push({
          label: `${label} (body ${shape} ${kind})`,
          method: route.method,
          url: fillPath(route.path, null),
          body,
          control: controls[shape as keyof typeof controls],
          mustRefuseText: false,
        });
      }
    }
  }
  return probes;
}

describe('text a database cannot store: U+0000 and unpaired surrogates', () => {
  it('never answers 500 on any route, and refuses a NUL in the path or query with request.invalid_text', {
    timeout: 180_000,
  }, async () => {
    const routes = appRoutes();
    // The table below must reach the whole app, not a part of it that happened to load.
    expect(routes.length).toBeGreaterThan(30);
    const wrong: string[] = [];
    const send = async (probe: Probe, body: unknown) => {
      const browser = await signedInAdmin();
      const response = await browser.fetch(probe.method, probe.url, {
        ...(body === undefined ? {} : { body }),
        headers: { Accept: 'text/html, application/json', 'Idempotency-Key': 'text-probe' },
      });
      return outcome(response);
    };
    for (const route of routes) {
      for (const probe of probesFor(route)) {
        const control = probe.control === undefined ? null : await send(probe, probe.control);
        const { status, code } = await send(probe, probe.body);
        if (status >= 500) wrong.push(`${probe.label}: ${status} ${code}`);
        else if (probe.mustRefuseText && code !== 'request.invalid_text') {
          wrong.push(`${probe.label}: ${status} ${code}, expected request.invalid_text`);
        } else if (control && code !== 'request.invalid_text' && code !== control.code) {
          // A route that reads its body refuses the text before its schema looks at the shape.
          wrong.push(`${probe.label}: ${status} ${code}, expected request.invalid_text`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    ['title of a new chat', 'POST', '/api/chats', { title: nul }],
    ['title of a new chat (surrogate)', 'POST', '/api/chats', { title: loneSurrogate }],
    ['chat search', 'GET', '/api/chats?q=%00', undefined],
    ['audit action filter', 'GET', '/api/audit?action=%00', undefined],
    ['registry version path', 'GET', '/api/registry/remotes/chat-core/versions/1.0.0%00', undefined],
    ['static remote file path', 'GET', '/remotes/chat-core/1.0.0%00/remoteEntry.js', undefined],
    ['deploy-token name', 'POST', '/api/registry/tokens', { name: nul, remote: 'chat-core' }],
    [
      'new user display name',
      'POST',
      '/api/users',
      { email: 'x@example.com', displayName: nul, role: 'user', password: testPassword },
    ],
  ])('refuses a %s with 400 request.invalid_text', async (_what, method, url, body) => {
    const browser = await signedInAdmin();
    const response = await browser.fetch(method, url, body === undefined ? {} : { body });
    expect(await outcome(response)).toEqual({ status: 400, code: 'request.invalid_text' });
  });

  it('refuses a message or a rename carrying U+0000 and leaves the chat as it was', async () => {
    const browser = await signedInAdmin();
    const created = await browser.fetch('POST', '/api/chats', { body: { title: 'Kept' } });
    const chat = chatResponseSchema.parse(await created.json()).chat;
    const message = await browser.fetch('POST', `/api/chats/${chat.id}/messages`, {
      body: { content: '\u0000' },
      headers: { 'Idempotency-Key': 'nul-message' },
    });
    expect(await outcome(message)).toEqual({ status: 400, code: 'request.invalid_text' });
    const rename = await browser.fetch('PATCH', `/api/chats/${chat.id}`, { body: { title: loneSurrogate } });
    expect(await outcome(rename)).toEqual({ status: 400, code: 'request.invalid_text' });
    const after = chatResponseSchema.parse(await (await browser.fetch('GET', `/api/chats/${chat.id}`)).json()).chat;
    expect(after).toMatchObject({ title: 'Kept', preview: null });
  });

  it.each([
    ['U+0000', nul],
    ['an unpaired surrogate', loneSurrogate],
  ])('refuses telemetry without sign-in carrying %s, as a beacon and as JSON', async (_what, value) => {
    const batch = {
      reports: [
        { kind: 'load', report: { remote: 'chat-core', version: '1.0.0', outcome: 'error', ms: 5, detail: value } },
      ],
    };
    for (const contentType of ['text/plain;charset=UTF-8', 'application/json']) {
      const response = await t.app.request('http://localhost/api/telemetry', {
        method: 'POST',
        headers: { Origin: 'http://localhost', 'Sec-Fetch-Site': 'same-origin', 'Content-Type': contentType },
        body: JSON.stringify(batch),
      });
      expect(await outcome(response)).toEqual({ status: 400, code: 'request.invalid_text' });
    }
  });
});
