import { chatResponseSchema } from '@atrium/contracts';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touchChat } from '../chats/repository.js';
import { toChatView } from '../chats/views.js';
import { chats, messages } from '../db/schema/index.js';
import { withEvents } from '../realtime/event-log.js';
import { Browser } from '../testing/browser.js';
import { requireServices } from '../testing/multi-instance.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

/*
 * Two transactions on one chat from two connections (PostgreSQL only: PGlite has one). An
 * answer's final move used to lock the user's event log before the chat, while renaming (and
 * posting to) a chat locks the chat first: a sweep racing a rename deadlocked, and PostgreSQL
 * aborted one of them — a 500 seen through nginx in nginx-topology.multi.test.ts. Here the
 * rename is held between its two locks until the sweep waits on a lock, so the interleaving that
 * deadlocked is forced, not hoped for.
 */

let t: TestApp;
beforeAll(async () => {
  requireServices();
  t = await createTestApp({ env: { ATRIUM_ANSWER_LEASE_MS: '5000' } });
});
afterAll(() => t.close());

/** Resolves once some backend of this database waits for a lock (a row or an advisory lock). */
async function someoneWaitsForALock(): Promise<void> {
  for (;;) {
    const result = await t.db.execute(
      sql`select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    const rows = (result as unknown as { rows: { waiting: number }[] }).rows;
    if ((rows[0]?.waiting ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('lock order of an answer move against a chat rename', () => {
  it('a sweep that interrupts an answer while its chat is being renamed: both commit, in turn', async () => {
    const me = await t.createUser({ email: 'renamer@example.com' });
    const browser = new Browser(t);
    await browser.signIn(me.email, testPassword);
    const chat = chatResponseSchema.parse(await (await browser.fetch('POST', '/api/chats', { body: {} })).json()).chat;
    const now = t.clock.now();
    const [answer] = await t.db
      .insert(messages)
      .values({
        chatId: chat.id,
        userId: me.id,
        role: 'assistant',
        status: 'streaming',
        content: 'Half of it',
        leaseUntil: new Date(now.getTime() + 5000),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    t.clock.advance(5001);

    let chatLocked!: () => void;
    const locked = new Promise<void>((resolve) => {
      chatLocked = resolve;
    });
    // renameChat's order (chats/service.ts): the chat row, then the user's event log.
    const rename = withEvents({ db: t.db, bus: t.runtime.bus, clock: t.clock }, async (tx, emit) => {
      const row = await touchChat(tx, chat.id, { title: 'renamed mid-sweep', updatedAt: t.clock.now() });
      chatLocked();
      await someoneWaitsForALock();
      await emit.toUser(me.id, { type: 'chat.updated', chat: toChatView(row!) });
    });
    await locked;
    const swept = t.runtime.sweeper.sweep();

    const [renamed, sweep] = await Promise.allSettled([rename, swept]);
    // Before the fix: one of the two failed with PostgreSQL's "deadlock detected" (40P01).
    expect(renamed).toEqual({ status: 'fulfilled', value: undefined });
    expect(sweep).toEqual({ status: 'fulfilled', value: 1 });
    const [after] = await t.db.select().from(messages).where(eq(messages.id, answer!.id));
    expect(after).toMatchObject({ status: 'interrupted', content: 'Half of it' });
    const [chatAfter] = await t.db.select().from(chats).where(eq(chats.id, chat.id));
    expect(chatAfter?.title).toBe('renamed mid-sweep');
  });
});
