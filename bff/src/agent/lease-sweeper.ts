import { and, inArray, lt } from 'drizzle-orm';
import { runningStatuses, touchChat, updateRunningAnswer } from '../chats/repository.js';
import { toChatView, toMessageView } from '../chats/views.js';
import { messages } from '../db/schema/index.js';
import type { Logger } from '../logger.js';
import { type EventDeps, withEvents } from '../realtime/event-log.js';
import { trimUserEvents } from '../realtime/retention.js';
import { interruptedFailure } from './failures.js';

export interface LeaseSweeper {
  /** Marks answers whose generating instance stopped renewing their lease as failed; returns how many. */
  sweep(): Promise<number>;
  /** Deletes users' events older than the retention window (a batch at a time); returns how many. */
  trimEvents(): Promise<number>;
  close(): void;
}

/** Trimming is a bulk delete: once a minute is plenty, whatever the lease interval. */
const trimEveryMs = 60_000;

/**
 * Every instance runs one. An answer is never re-run elsewhere (that would bill twice and
 * write text contradicting what the user already saw): it fails as interrupted, keeping its text.
 * The same timer trims the users' event logs to the retention window.
 */
export function createLeaseSweeper(
  deps: EventDeps & { logger: Logger; intervalMs: number; eventRetentionMs: number },
): LeaseSweeper {
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
  const trimEvents = async () => {
    const trimmed = await trimUserEvents(deps.db, new Date(deps.clock.now().getTime() - deps.eventRetentionMs));
    if (trimmed > 0) deps.logger.info('old events trimmed', { count: trimmed });
    return trimmed;
  };
  let lastTrim = Number.NEGATIVE_INFINITY;
  const timer = setInterval(() => {
    sweep().catch((error: Error) => deps.logger.warn('lease sweep failed', { error: error.message }));
    const now = deps.clock.now().getTime();
    if (now - lastTrim < trimEveryMs) return;
    lastTrim = now;
    trimEvents().catch((error: Error) => deps.logger.warn('event trim failed', { error: error.message }));
  }, deps.intervalMs);
  timer.unref();
  return { sweep, trimEvents, close: () => clearInterval(timer) };
}
