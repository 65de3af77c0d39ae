import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadcastEvents, releases } from '../db/schema/index.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const broadcastCount = async () => (await t.db.select({ n: count() }).from(broadcastEvents))[0]!.n;
const stableOf = async () =>
  (await t.db.select({ stable: releases.stable }).from(releases).where(eq(releases.remote, 'chat-core')))[0]?.stable;

describe('release changes', () => {
  it('commit with their release.changed event, or neither does: a failure after the change rolls back both', async () => {
    const stable = await stableOf();
    const events = await broadcastCount();
    const heard = t.releaseEvents.length;
    await expect(
      t.registry.changeReleases(async (tx, announce) => {
        await tx.update(releases).set({ stable: '9.9.9' }).where(eq(releases.remote, 'chat-core'));
        await announce('chat-core', 'promoted 9.9.9');
        throw new Error('crash after the change');
      }),
    ).rejects.toThrow('crash after the change');
    expect(await stableOf()).toBe(stable);
    expect(await broadcastCount()).toBe(events);
    expect(t.releaseEvents.length).toBe(heard);

    await t.registry.changeReleases(async (tx, announce) => {
      await tx.update(releases).set({ stable: '9.9.9' }).where(eq(releases.remote, 'chat-core'));
      await announce('chat-core', 'promoted 9.9.9');
    });
    expect(await stableOf()).toBe('9.9.9');
    expect(await broadcastCount()).toBe(events + 1);
    expect(t.releaseEvents.at(-1)).toEqual({ type: 'release.changed', remote: 'chat-core', reason: 'promoted 9.9.9' });
  });
});
