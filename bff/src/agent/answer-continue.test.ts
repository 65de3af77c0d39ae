import type { Draft } from '@atrium/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import type { OpenDatabase } from '../db/index.js';
import { chats, messages } from '../db/schema/index.js';
import { createJobQueue } from '../jobs/queue.js';
import { createWorker } from '../jobs/worker.js';
import { createLogger } from '../logger.js';
import { createInProcessBus } from '../realtime/in-process-bus.js';
import { createManualClock } from '../testing/manual-clock.js';
import { openTestDatabase } from '../testing/test-database.js';
import { createUser } from '../users/accounts.js';
import { answerContinueHandler, answerContinueQueue } from './answer-continue.js';

let database: OpenDatabase;
const clock = createManualClock();
const bus = createInProcessBus();
const drafts = new Map<string, Draft>();

beforeAll(async () => {
  database = await openTestDatabase(loadConfig().database);
});
afterAll(async () => {
  await bus.close();
  await database.close();
});

const draft = (id: string, status: Draft['status'], outcome: Draft['outcome'] = null): Draft => ({
  id,
  tool: 'create_ticket',
  risk: 'low',
  summary: 'Open a ticket',
  arguments: {},
  status,
  requester: { kind: 'system' },
  chatId: null,
  answerId: null,
  levels: [],
  createdAt: '',
  expiresAt: '',
  updatedAt: '',
  outcome,
});

describe('answer.continue', () => {
  it('keeps waiting while a draft is open, then completes with the results once all are settled (no model)', async () => {
    const now = clock.now();
    const user = await createUser(database.db, {
      email: 'continue@example.com',
      displayName: 'C',
      role: 'user',
      password: 'a perfectly long password',
      now,
    });
    const [chat] = await database.db
      .insert(chats)
      .values({ userId: user.id, createdAt: now, updatedAt: now })
      .returning();
    const step = (id: string) => ({
      id,
      tool: 'create_ticket',
      arguments: {},
      status: 'drafted' as const,
      summary: 'Open a ticket',
      draftId: id,
    });
    const [answer] = await database.db
      .insert(messages)
      .values({
        chatId: chat!.id,
        userId: user.id,
        role: 'assistant',
        status: 'awaiting_approval',
        content: 'Proposed.',
        steps: [step('d1'), step('d2')],
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const queue = createJobQueue({ db: database.db, clock });
    const worker = createWorker({
      queue,
      handlers: {
        [answerContinueQueue]: answerContinueHandler({
          db: database.db,
          bus,
          clock,
          leaseMs: 5_000,
          drafts: { forAnswer: async () => [...drafts.values()] },
        }),
      },
      logger: createLogger('error'),
      concurrency: 1,
    });
    const row = async () => (await database.db.select().from(messages).where(eq(messages.id, answer!.id)))[0]!;

    drafts.set('d1', draft('d1', 'executed', { code: 'draft.executed', message: 'Ticket #7 opened.' }));
    drafts.set('d2', draft('d2', 'pending'));
    await queue.enqueue(database.db, answerContinueQueue, { answerId: answer!.id, draftId: 'd1' });
    await worker.runOnce();
    expect((await row()).status).toBe('awaiting_approval');
    expect((await row()).steps.map((s) => s.summary)).toEqual(['executed: Ticket #7 opened.', 'Open a ticket']);

    drafts.set('d2', draft('d2', 'rejected', { code: 'draft.rejected', message: 'Not needed.' }));
    await queue.enqueue(database.db, answerContinueQueue, { answerId: answer!.id, draftId: 'd2' });
    await worker.runOnce();
    const done = await row();
    expect(done.status).toBe('complete');
    expect(done.content).toBe(
      'Proposed.\n\nResult:\n- create_ticket: executed: Ticket #7 opened.\n- create_ticket: rejected: Not needed.',
    );
    // A repeated delivery finds the answer complete and changes nothing.
    await queue.enqueue(database.db, answerContinueQueue, { answerId: answer!.id, draftId: 'd2' });
    await worker.runOnce();
    expect((await row()).updatedAt).toEqual(done.updatedAt);
  });
});
