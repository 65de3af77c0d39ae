import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/password.js';
import { createSession } from '../auth/sessions.js';
import { openDatabase } from '../db/index.js';
import { auditLog, sessions, users } from '../db/schema/index.js';
import { createUser } from '../users/accounts.js';
import { runCli, tempDir, testPassword } from './test-harness.js';

// The embedded database in a directory of its own, as on a server without DATABASE_URL.
const data = tempDir();
const dataDir = path.join(data.dir, 'pglite');
const env = { ATRIUM_DATA_DIR: dataDir, ATRIUM_DOCUMENT_DIR: path.join(data.dir, 'documents') };
const policy = { idleMs: 3_600_000, absoluteMs: 86_400_000 };

beforeAll(async () => {
  const { db, close } = await openDatabase({ driver: 'pglite', dataDir });
  try {
    const admin = await createUser(db, {
      email: 'first@example.com',
      displayName: 'First',
      role: 'admin',
      password: testPassword,
      now: new Date(),
    });
    await createSession(db, { userId: admin.id, now: new Date(), policy, userAgent: null, ip: null });
  } finally {
    await close();
  }
}, 300_000);
afterAll(() => data.remove());

// Each run starts the CLI (tsx) and opens and migrates the database: generous limits for busy CI machines.
describe('atrium admin reset-password', { timeout: 300_000 }, () => {
  it('prints a temporary password once on stdout, forces a change, ends sessions and audits as cli', async () => {
    const result = await runCli(
      ['admin', 'reset-password', 'First@Example.com', '--reason', 'lost the only admin password'],
      {
        env,
      },
    );
    expect(result.stderr).toContain('Reset the password of first@example.com (admin); 1 session(s) ended.');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const temporary = lines[0]!;
    expect(temporary.replaceAll('-', '')).toHaveLength(20);

    const { db, close } = await openDatabase({ driver: 'pglite', dataDir });
    try {
      const [user] = await db.select().from(users).where(eq(users.email, 'first@example.com'));
      expect(user!.mustChangePassword).toBe(true);
      expect(await verifyPassword(temporary, user!.passwordHash)).toBe(true);
      expect(await verifyPassword(testPassword, user!.passwordHash)).toBe(false);
      const live = (await db.select().from(sessions).where(eq(sessions.userId, user!.id))).filter((s) => !s.revokedAt);
      expect(live).toEqual([]);
      const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'user.password_reset'));
      expect(entry).toMatchObject({
        actorId: null,
        target: `user:${user!.id}`,
        detail: {
          actor: 'cli',
          reason: 'lost the only admin password',
          email: 'first@example.com',
          revokedSessions: 1,
        },
      });
      expect(JSON.stringify(entry)).not.toContain(temporary);
    } finally {
      await close();
    }
  });

  it('says clearly when the running server holds the embedded database, and exits 1 having changed nothing', async () => {
    const held = await openDatabase({ driver: 'pglite', dataDir });
    try {
      const before = await held.db.select().from(users).where(eq(users.email, 'first@example.com'));
      const result = await runCli(['admin', 'reset-password', 'first@example.com'], { env });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/is in use/);
      expect(result.stderr).not.toContain('..');
      expect(result.stderr).toContain('Stop it, run this command again');
      const after = await held.db.select().from(users).where(eq(users.email, 'first@example.com'));
      expect(after[0]!.passwordHash).toBe(before[0]!.passwordHash);
    } finally {
      await held.close();
    }
  });

  it('refuses a data directory that is missing or holds no database, creating nothing', async () => {
    const missing = path.join(data.dir, 'pglit');
    const empty = path.join(data.dir, 'empty');
    mkdirSync(empty);
    for (const dir of [missing, empty]) {
      const result = await runCli(['admin', 'reset-password', 'first@example.com'], {
        env: { ...env, ATRIUM_DATA_DIR: dir },
      });
      expect(result.code, dir).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`No database at ${dir}; is ATRIUM_DATA_DIR right?`);
      expect(result.stderr).not.toContain('No user with the email');
      expect(existsSync(`${dir}.lock`)).toBe(false);
    }
    expect(existsSync(missing)).toBe(false);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('exits 1 for an unknown account, 2 for a malformed email or reason, and documents itself', async () => {
    const unknown = await runCli(['admin', 'reset-password', 'nobody@example.com'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No user with the email nobody@example.com.');
    expect((await runCli(['admin', 'reset-password', 'not-an-email'], { env })).code).toBe(2);
    expect((await runCli(['admin', 'reset-password', 'first@example.com', '--reason', 'x'], { env })).code).toBe(2);
    expect((await runCli(['admin', 'reset-password'], { env })).code).toBe(2);
    const help = await runCli(['admin', 'reset-password', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: atrium admin reset-password <email>');
    expect(help.stdout).toContain('stop the server first');
    const group = await runCli(['admin', '--help']);
    expect(group.stdout).toContain('atrium admin reset-password');
  });
});
