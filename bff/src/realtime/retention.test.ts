import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userEvents } from '../db/schema/index.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { appendUserEvent } from './event-log.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { ATRIUM_EVENT_RETENTION_HOURS: '24' } });
});
afterAll(() => t.close());

const hours = (n: number) => n * 3_600_000;
const seqsOf = async (userId: string) =>
  (
    await t.db
      .select({ seq: userEvents.seq })
      .from(userEvents)
      .where(eq(userEvents.userId, userId))
      .orderBy(asc(userEvents.seq))
  ).map((r) => r.seq);

describe('event retention', () => {
  it("trims events older than the window, keeping every user's newest so seqs never restart", async () => {
    const active = await t.createUser({ email: 'active@example.com' });
    const idle = await t.createUser({ email: 'idle@example.com' });
    const now = t.clock.now();
    const at = (ago: number) => new Date(now.getTime() - ago);
    const append = (userId: string, ago: number) =>
      t.db.transaction((tx) => appendUserEvent(tx, userId, { type: 'chat.deleted', chatId: 'x' }, at(ago)));
    for (let i = 0; i < 4; i++) await append(active.id, hours(30));
    await append(active.id, hours(1));
    for (let i = 0; i < 2; i++) await append(idle.id, hours(30));

    expect(await t.runtime.sweeper.trimEvents()).toBe(5);
    expect(await seqsOf(active.id)).toEqual([5]);
    expect(await seqsOf(idle.id)).toEqual([2]);
    expect((await append(idle.id, 0)).seq).toBe(3);
    // Once it is no longer the newest, the old head goes too.
    expect(await t.runtime.sweeper.trimEvents()).toBe(1);
    expect(await seqsOf(idle.id)).toEqual([3]);
  });
});
