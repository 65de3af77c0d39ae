import { accessTokenListResponseSchema, apiErrorSchema, createAccessTokenResponseSchema } from '@atrium/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateAccessToken } from '../auth/access-tokens.js';
import { sha256Hex } from '../auth/tokens.js';
import { accessTokens, auditLog } from '../db/schema/index.js';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function signedIn(email: string) {
  await t.createUser({ email });
  const browser = new Browser(t);
  await browser.signIn(email, testPassword);
  return browser;
}

describe('personal access tokens', () => {
  it('shows the token once, stores only its hash, lists and revokes it', async () => {
    const me = await signedIn('pat@example.com');
    const created = await me.fetch('POST', '/api/account/tokens', { body: { name: 'laptop', expiresInDays: 30 } });
    expect(created.status).toBe(201);
    const { token, secret } = createAccessTokenResponseSchema.parse(await created.json());
    expect(secret).toMatch(/^atr_[A-Za-z0-9_-]{43}$/);
    expect(token.scopes).toEqual(['mcp']);
    expect(new Date(token.expiresAt!).getTime() - t.clock.now().getTime()).toBe(30 * 86_400_000);

    const [row] = await t.db.select().from(accessTokens).where(eq(accessTokens.id, token.id));
    expect(row!.tokenHash).toBe(sha256Hex(secret));
    expect(JSON.stringify(row)).not.toContain(secret);

    const listed = accessTokenListResponseSchema.parse(await (await me.fetch('GET', '/api/account/tokens')).json());
    expect(listed.tokens.map((x) => x.name)).toEqual(['laptop']);
    expect(JSON.stringify(listed)).not.toContain(secret);

    expect(await authenticateAccessToken(t.db, secret, 'mcp', t.clock.now())).not.toBeNull();
    const revoked = await me.fetch('DELETE', `/api/account/tokens/${token.id}`);
    expect(revoked.status).toBe(200);
    expect(await authenticateAccessToken(t.db, secret, 'mcp', t.clock.now())).toBeNull();

    const audit = await t.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.target, `access_token:${token.id}`));
    expect(audit.map((a) => a.action).sort()).toEqual(['token.created', 'token.revoked']);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('refuses an expired token, and one without the scope', async () => {
    const me = await signedIn('expiring@example.com');
    const { secret } = createAccessTokenResponseSchema.parse(
      await (await me.fetch('POST', '/api/account/tokens', { body: { name: 'short', expiresInDays: 1 } })).json(),
    );
    const user = await authenticateAccessToken(t.db, secret, 'mcp', t.clock.now());
    expect(user?.user.email).toBe('expiring@example.com');
    expect(
      await authenticateAccessToken(t.db, secret, 'mcp', new Date(t.clock.now().getTime() + 86_400_001)),
    ).toBeNull();
    expect(await authenticateAccessToken(t.db, `${secret}x`, 'mcp', t.clock.now())).toBeNull();
    expect(await authenticateAccessToken(t.db, 'Bearer nonsense', 'mcp', t.clock.now())).toBeNull();
  });

  it("never lists or revokes another user's token: their id is a 404 like a missing one", async () => {
    const owner = await signedIn('owner@example.com');
    const other = await signedIn('intruder@example.com');
    const { token, secret } = createAccessTokenResponseSchema.parse(
      await (await owner.fetch('POST', '/api/account/tokens', { body: { name: 'mine', expiresInDays: null } })).json(),
    );
    expect(token.expiresAt).toBeNull();
    const listed = accessTokenListResponseSchema.parse(await (await other.fetch('GET', '/api/account/tokens')).json());
    expect(listed.tokens).toEqual([]);
    const stolen = await other.fetch('DELETE', `/api/account/tokens/${token.id}`);
    const missing = await other.fetch('DELETE', '/api/account/tokens/00000000-0000-4000-8000-000000000000');
    expect(stolen.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(apiErrorSchema.parse(await stolen.json()).code).toBe('token.not_found');
    expect(apiErrorSchema.parse(await missing.json()).code).toBe('token.not_found');
    expect(await authenticateAccessToken(t.db, secret, 'mcp', t.clock.now())).not.toBeNull();
  });

  it('refuses bad input with 400 and writes nothing', async () => {
    const me = await signedIn('bad@example.com');
    for (const body of [
      { name: '', expiresInDays: 30 },
      { name: 'x', expiresInDays: 0 },
      { name: 'x', expiresInDays: 400 },
      { name: 'x', expiresInDays: 30, scopes: ['admin'] },
      { name: 'x' },
    ]) {
      const response = await me.fetch('POST', '/api/account/tokens', { body });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect((await me.fetch('DELETE', '/api/account/tokens/not-a-uuid')).status).toBe(400);
    const listed = accessTokenListResponseSchema.parse(await (await me.fetch('GET', '/api/account/tokens')).json());
    expect(listed.tokens).toEqual([]);
    expect((await new Browser(t).fetch('GET', '/api/account/tokens')).status).toBe(401);
  });
});
