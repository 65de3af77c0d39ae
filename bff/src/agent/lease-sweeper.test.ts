import { chatResponseSchema } from '@atrium/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../db/schema/index.js';
import { Browser } from '../testing/browser.js';
import { SseReader } from '../testing/sse-reader.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { ATRIUM_ANSWER_LEASE_MS: '5000' } });
});
afterAll(() => t.close());

describe('lease sweeper', () => {
  it('marks an answer whose generating instance vanished as interrupted, keeping its text, and tells the user', async () => {
    const me = await t.createUser({ email: 'lost@example.com' });
    const browser = new Browser(t);
    await browser.signIn(me.email, testPassword);
    const chat = chatResponseSchema.parse(await (await browser.fetch('POST', '/api/chats', { body: {} })).json()).chat;
    const now = t.clock.now();
    // What a killed instance leaves behind: a streaming answer nobody renews.
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
    const reader = new SseReader((await browser.fetch('GET', '/api/events')).body!);
    await reader.untilComment('live');

    expect(await t.runtime.sweeper.sweep()).toBe(0);
    t.clock.advance(5001);
    expect(await t.runtime.sweeper.sweep()).toBe(1);
    const event = await reader.until((e) => e.type === 'message.updated');
    expect(event.at(-1)!.event).toMatchObject({
      type: 'message.updated',
      message: {
        id: answer!.id,
        status: 'interrupted',
        content: 'Half of it',
        error: { code: 'agent.interrupted', message: 'The answer was interrupted. Regenerate to try again.' },
      },
    });
    const [row] = await t.db.select().from(messages).where(eq(messages.id, answer!.id));
    expect(row!.leaseUntil).toBeNull();
    expect(await t.runtime.sweeper.sweep()).toBe(0);
    await reader.close();
  });
});
