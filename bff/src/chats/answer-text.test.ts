import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerLifecycle } from '../agent/answer-lifecycle.js';
import { loadConfig } from '../config.js';
import type { OpenDatabase } from '../db/index.js';
import { chats, messages } from '../db/schema/index.js';
import { createInProcessBus } from '../realtime/in-process-bus.js';
import { createManualClock } from '../testing/manual-clock.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUser } from '../users/accounts.js';
import { findMessage, listMessages, runningAnswer } from './repository.js';

let database: OpenDatabase;
const clock = createManualClock();
const bus = createInProcessBus();
let userId: string;

beforeAll(async () => {
  database = await openTestDatabase(loadConfig().database);
  userId = (
    await createUser(database.db, {
      email: 'answer-text@example.com',
      displayName: 'Reader',
      role: 'user',
      password: 'a perfectly long password',
      now: clock.now(),
    })
  ).id;
});
afterAll(async () => {
  await bus.close();
  await database.close();
});

describe('a running answer’s text as readers see it', () => {
  it('is its stored content followed by the deltas streamed so far, in every message read', async () => {
    const now = clock.now();
    const [chat] = await database.db.insert(chats).values({ userId, createdAt: now, updatedAt: now }).returning();
    const chatId = chat!.id;
    const [question] = await database.db
      .insert(messages)
      .values({ chatId, userId, role: 'user', status: 'complete', content: 'Why?', createdAt: now, updatedAt: now })
      .returning();
    const [answer] = await database.db
      .insert(messages)
      .values({ chatId, userId, role: 'assistant', status: 'retrieving', createdAt: now, updatedAt: now })
      .returning();
    const ref = { userId, chatId, answerId: answer!.id };
    const life = createAnswerLifecycle({ db: database.db, bus, clock, leaseMs: 5_000 });
    expect(await life.appendText(ref, 'Because', 0)).toBe(true);
    expect(await life.appendText(ref, ' it is.', 1)).toBe(true);

    // deltaSeq says which deltas the text holds: chat-core appends only later ones.
    expect(await findMessage(database.db, userId, answer!.id)).toMatchObject({
      content: 'Because it is.',
      deltaSeq: 1,
    });
    expect((await runningAnswer(database.db, userId, chatId))!.content).toBe('Because it is.');
    const page = await listMessages(database.db, userId, chatId, { limit: 10 });
    expect(page.rows.map((row) => row.content)).toEqual(['Why?', 'Because it is.']);
    expect(page.rows[0]!.id).toBe(question!.id);
  });
});
