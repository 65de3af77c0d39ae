import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../db/schema/index.js';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { bootstrapAdmin } from './bootstrap-admin.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('bootstrapAdmin', () => {
  it('creates the first admin with a generated password, prints it once, and never again', async () => {
    const printed: string[] = [];
    const config = { admin: { email: null, password: null } };
    expect(await bootstrapAdmin(t.db, config, t.clock, (text) => printed.push(text))).toBe(true);
    expect(await bootstrapAdmin(t.db, config, t.clock, (text) => printed.push(text))).toBe(false);
    expect(printed).toHaveLength(1);

    const banner = printed[0]!;
    expect(banner).toContain('admin@atrium.local');
    const password = /password: (\S+)/.exec(banner)![1]!;
    expect(password.length).toBeGreaterThanOrEqual(20);
    const admins = (await t.db.select().from(users)).filter((u) => u.role === 'admin');
    expect(admins).toHaveLength(1);
    expect(admins[0]!.passwordHash).not.toContain(password);

    const signIn = await new Browser(t).signIn('admin@atrium.local', password);
    expect(signIn.status).toBe(200);
  });
});
