import { randomUUID } from 'node:crypto';
import { and, desc, eq, getTableColumns } from 'drizzle-orm';
import { bigint, pgTable, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, findSession } from '../auth/sessions.js';
import { listChats } from '../chats/repository.js';
import { loadConfig } from '../config.js';
import { openTestDatabase } from '../testing/test-database.js';
import type { OpenDatabase } from './index.js';
import { hasRawRunner, tableReader } from './raw-select.js';
import { chats, sessions, users } from './schema/index.js';

/*
 * The session lookup and the chat list read their rows raw (raw-select.ts). Each must return
 * exactly what drizzle's own mapping returns for the same rows: nulls, dates, booleans, numbers
 * and enums, on the driver this run uses (PGlite, or PostgreSQL with DATABASE_URL).
 */

let database: OpenDatabase;
beforeAll(async () => {
  database = await openTestDatabase(loadConfig().database);
});
afterAll(async () => {
  await database.close();
});

const policy = { idleMs: 3_600_000, absoluteMs: 86_400_000 };

describe('raw reads of the hot path', () => {
  it('the session lookup returns what drizzle maps, for a plain and a fully set user', async () => {
    const { db } = database;
    expect(hasRawRunner(db)).toBe(true);
    const now = new Date();
    for (const extra of [{}, { mustChangePassword: true, monthlyBudgetUsd: 12.5, role: 'admin' as const }]) {
      const [user] = await db
        .insert(users)
        .values({ email: `${randomUUID()}@example.com`, displayName: 'Ann', passwordHash: 'x', ...extra })
        .returning();
      const { token, session } = await createSession(db, {
        userId: user!.id,
        now,
        policy,
        userAgent: Object.keys(extra).length ? 'agent/1.0' : null,
        ip: Object.keys(extra).length ? '10.0.0.1' : null,
      });
      const found = await findSession(db, token, now, policy);
      const [viaDrizzle] = await db
        .select({ session: sessions, user: users })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(eq(sessions.id, session.id));
      expect(found).toStrictEqual(viaDrizzle);
      expect(found!.session.createdAt).toBeInstanceOf(Date);
      expect(found!.user.disabledAt).toBeNull();
    }
    expect(await findSession(db, 'no-such-token', now, policy)).toBeNull();
  });

  it('the chat list returns what drizzle maps: untitled chats, titles, previews, agents, in order', async () => {
    const { db } = database;
    const [user] = await db
      .insert(users)
      .values({ email: `${randomUUID()}@example.com`, displayName: 'Bo', passwordHash: 'x' })
      .returning();
    const at = Date.parse('2026-03-01T10:00:00.123Z');
    await db.insert(chats).values(
      Array.from({ length: 5 }, (_, i) => ({
        userId: user!.id,
        title: i % 2 ? `Chat ${i}` : null,
        preview: i === 3 ? 'Last words' : null,
        agentId: i === 4 ? 'billing' : 'support',
        createdAt: new Date(at - 60_000),
        updatedAt: new Date(at + i * 1000),
      })),
    );
    const page = await listChats(db, user!.id, { limit: 3 });
    const viaDrizzle = await db
      .select()
      .from(chats)
      .where(and(eq(chats.userId, user!.id)))
      .orderBy(desc(chats.updatedAt), desc(chats.id));
    expect(page.rows).toStrictEqual(viaDrizzle.slice(0, 3));
    expect(page.nextCursor).not.toBeNull();
    const rest = await listChats(db, user!.id, { limit: 3, cursor: page.nextCursor! });
    expect(rest.rows).toStrictEqual(viaDrizzle.slice(3));
    expect((await listChats(db, user!.id, { limit: 30, q: 'chat 3' })).rows).toStrictEqual([viaDrizzle[1]]);
  });

  it('a table reader names every column, turns text timestamps into dates, and refuses unmapped types', () => {
    const read = tableReader(chats);
    const keys = Object.keys(getTableColumns(chats));
    const values = keys.map((key) => (key.endsWith('At') ? '2026-03-01 10:00:00.123+00' : key));
    const row = read(['ignored', ...values], 1);
    expect(Object.keys(row)).toEqual(keys);
    expect(row.updatedAt).toEqual(new Date('2026-03-01T10:00:00.123Z'));
    expect(row.title).toBe('title');
    const wide = pgTable('wide', { id: uuid('id'), big: bigint('big', { mode: 'number' }) });
    expect(() => tableReader(wide)).toThrow(/big is PgBigInt53/);
  });
});
