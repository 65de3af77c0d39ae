import { and, inArray, lt } from 'drizzle-orm';
import { runningStatuses, touchChat, updateRunningAnswer } from '../chats/repository.js';
import { toChatView, toMessageView } from '../chats/views.js';
import { messages } from '../db/schema/index.js';
import type { Logger } from '../logger.js';
import { type EventDeps, withEvents } from '../realtime/event-log.js';
import { interruptedFailure } from './failures.js';

export interface LeaseSweeper {
  /** Marks answers whose generating instance stopped renewing their lease as failed; returns how many. */
  sweep(): Promise<number>;
  close(): void;
}

/**
 * Every instance runs one. An answer is never re-run elsewhere (that would bill twice and
 * write text contradicting what the user already saw): it fails as interrupted, keeping its text.
 */
export function createLeaseSweeper(deps: EventDeps & { logger: Logger; intervalMs: number }): LeaseSweeper {
  const sweep = async () => {
    const expired = await deps.db
      .select({ id: messages.id, userId: messages.userId, chatId: messages.chatId })
      .from(messages)
      .where(and(inArray(messages.status, [...runningStatuses]), lt(messages.leaseUntil, deps.clock.now())))
      .limit(100);
    let swept = 0;
    for (const answer of expired) {
      await withEvents(deps, async (tx, emit) => {
        const now = deps.clock.now();
        const row = await updateRunningAnswer(tx, answer.id, {
          status: 'failed',
          error: interruptedFailure,
          leaseUntil: null,
          updatedAt: now,
        });
        if (!row) return;
        swept += 1;
        await emit.toUser(answer.userId, { type: 'message.updated', message: toMessageView(row) });
        const chat = await touchChat(tx, answer.chatId, { updatedAt: now });
        if (chat) await emit.toUser(answer.userId, { type: 'chat.updated', chat: toChatView(chat) });
      });
    }
    if (swept > 0) deps.logger.warn('interrupted answers marked failed', { count: swept });
    return swept;
  };
  const timer = setInterval(() => {
    sweep().catch((error: Error) => deps.logger.warn('lease sweep failed', { error: error.message }));
  }, deps.intervalMs);
  timer.unref();
  return { sweep, close: () => clearInterval(timer) };
}
