import { bootPayloadSchema, remoteMapSchema } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.createUser({ email: 'ada@example.com' });
});
afterAll(() => t.close());

const html = { Accept: 'text/html,application/xhtml+xml' };

function bootPayloadOf(page: string) {
  const match = /<script id="atrium-boot" type="application\/json">(.*?)<\/script>/s.exec(page);
  return bootPayloadSchema.parse(JSON.parse(match![1]!));
}

describe('shell HTML', () => {
  it('inlines a signed-out boot payload with a pre-session CSRF token and the remote map (the default)', async () => {
    const response = await t.app.request('http://localhost/chat/123', { headers: html });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('integrity-policy')).toBe('blocked-destinations=(script)');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const csrfCookie = response.headers.getSetCookie().find((line) => line.startsWith('atrium_csrf='));
    const boot = bootPayloadOf(await response.text());
    expect(boot.me).toBeNull();
    expect(csrfCookie).toContain(`atrium_csrf=${boot.csrfToken};`);
    expect(boot.remotes?.remotes['chat-core']).toMatchObject({
      version: '1.2.3',
      entry: '/remotes/chat-core/1.2.3/remoteEntry.js',
      contract: 'chat-core@1',
      fallback: null,
    });
    expect(boot.remotes?.remotes['chat-core']?.integrity).toMatch(/^sha384-/);
    // The fixture's admin build speaks admin@2, which this shell can't mount: published, never released.
    expect(boot.remotes?.remotes.admin).toBeUndefined();
    expect(boot.remotes?.remotes['auth-ui']).toBeUndefined();
  });

  it('inlines the session for a signed-in user, escaping anything that could close the script', async () => {
    const evil = await t.createUser({ email: 'evil@example.com' });
    await t.db.execute(
      `update users set display_name = '</script><script>alert(1)</script><!--' where id = '${evil.id}'`,
    );
    const browser = new Browser(t);
    await browser.signIn('evil@example.com', testPassword);
    const response = await browser.fetch('GET', '/', { headers: html });
    const page = await response.text();
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('\\u003c/script>');
    const boot = bootPayloadOf(page);
    expect(boot.me?.user.displayName).toBe('</script><script>alert(1)</script><!--');
    expect(boot.csrfToken).toBe(boot.me?.csrfToken);
  });

  it('preloads the entry of the remote the page loads, the same build and integrity the boot payload pins', async () => {
    const browser = new Browser(t);
    await browser.signIn('ada@example.com', testPassword);
    const page = await (await browser.fetch('GET', '/chat/123', { headers: html })).text();
    const chatCore = bootPayloadOf(page).remotes?.remotes['chat-core'];
    expect(chatCore).toBeDefined();
    const preloads = page.match(/<link rel="preload"[^>]*>/g);
    expect(preloads).toEqual([
      `<link rel="preload" as="script" href="${chatCore!.entry}" integrity="${chatCore!.integrity}" crossorigin="anonymous">`,
    ]);
    // Signed out, /chat sends the shell to sign-in: no chat-core bytes.
    const signedOut = await (await t.app.request('http://localhost/chat', { headers: html })).text();
    expect(signedOut).not.toContain('rel="preload"');
  });

  it('leaves the remote map out with ATRIUM_INLINE_REMOTE_MAP=false; /api/remotes still serves it', async () => {
    const separate = await createTestApp({ env: { ATRIUM_INLINE_REMOTE_MAP: 'false' } });
    try {
      const response = await separate.app.request('http://localhost/chat', { headers: html });
      const boot = bootPayloadOf(await response.text());
      expect(boot.remotes).toBeNull();
      expect(boot.csrfToken).not.toBe('');
      const map = remoteMapSchema.parse(await (await separate.app.request('http://localhost/api/remotes')).json());
      expect(map.remotes['chat-core']?.version).toBe('1.2.3');
    } finally {
      await separate.close();
    }
  });

  it('leaves /api and non-HTML requests to the API', async () => {
    expect((await t.app.request('http://localhost/api/nothing', { headers: html })).status).toBe(404);
    expect((await t.app.request('http://localhost/chat', { headers: { Accept: 'application/json' } })).status).toBe(
      404,
    );
  });

  it('says to build when the shell is missing', async () => {
    const unbuilt = await createTestApp({ withShell: false });
    try {
      const response = await unbuilt.app.request('http://localhost/', { headers: html });
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('pnpm build');
    } finally {
      await unbuilt.close();
    }
  });
});

describe('static artifacts', () => {
  it('serves every file of a stored version as immutable, the entry included', async () => {
    const chunk = await t.app.request('http://localhost/remotes/chat-core/1.2.3/static/js/chunk.9f8e7d.js');
    expect(chunk.status).toBe(200);
    expect(chunk.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(chunk.headers.get('cross-origin-resource-policy')).toBe('same-origin');

    const entry = await t.app.request('http://localhost/remotes/chat-core/1.2.3/remoteEntry.js');
    expect(entry.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await entry.text()).toBe('var chat_core = {};');

    const shell = await t.app.request('http://localhost/shell/main.1a2b3c.js');
    expect(shell.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers 404 for missing files, unknown remotes and versions that are not published', async () => {
    for (const url of [
      '/remotes/chat-core/1.2.3/nope.js',
      '/remotes/chat-core/9.9.9/remoteEntry.js',
      '/remotes/evil/1.0.0/remoteEntry.js',
      '/shell/missing.js',
    ]) {
      expect((await t.app.request(`http://localhost${url}`)).status, url).toBe(404);
    }
  });

  it('refuses path traversal', async () => {
    for (const url of [
      '/shell/..%2f..%2fsecret.txt',
      '/shell/%2e%2e/%2e%2e/secret.txt',
      '/remotes/chat-core/1.2.3/..%2f..%2f..%2fsecret.txt',
      '/remotes/chat-core/1.2.3/%252e%252e/%252e%252e/%252e%252e/secret.txt',
    ]) {
      const response = await t.app.request(`http://localhost${url}`);
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('not for the web');
    }
  });
});
