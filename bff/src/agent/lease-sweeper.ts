import { runningMessageStatuses } from '@atrium/contracts';
import { and, inArray, lt } from 'drizzle-orm';
import { messages } from '../db/schema/index.js';
import type { Logger } from '../logger.js';
import { type EventDeps, withEvents } from '../realtime/event-log.js';
import { trimUserEvents } from '../realtime/retention.js';
import { moveAnswerIn } from './answer-lifecycle.js';
import { interruptedFailure } from './failures.js';

export interface LeaseSweeper {
  /** Marks answers whose generating instance stopped renewing their lease as `interrupted`; returns how many. */
  sweep(): Promise<number>;
  /** Deletes users' events older than the retention window (a batch at a time); returns how many. */
  trimEvents(): Promise<number>;
  close(): void;
}

/** Trimming is a bulk delete: once a minute is plenty, whatever the lease interval. */
const trimEveryMs = 60_000;

/**
 * Every instance runs one. An answer is never re-run elsewhere (that would bill twice and
 * write text contradicting what the user already saw): it ends `interrupted`, keeping its text
 * and the error code `agent.interrupted` (which clients before issue 10 read as a failure).
 * The same timer trims the users' event logs to the retention window.
 */
export function createLeaseSweeper(
  deps: EventDeps & { logger: Logger; intervalMs: number; eventRetentionMs: number; leaseMs: number },
): LeaseSweeper {
  const sweep = async () => {
    const expired = await deps.db
      .select({ answerId: messages.id, userId: messages.userId, chatId: messages.chatId })
      .from(messages)
      .where(and(inArray(messages.status, [...runningMessageStatuses]), lt(messages.leaseUntil, deps.clock.now())))
      .limit(100);
    let swept = 0;
    for (const answer of expired) {
      const row = await withEvents(deps, (tx, emit) =>
        moveAnswerIn(
          tx,
          emit,
          answer,
          'interrupted',
          { now: deps.clock.now(), leaseMs: deps.leaseMs },
          {
            error: interruptedFailure,
          },
        ),
      );
      if (row) swept += 1;
    }
    if (swept > 0) deps.logger.warn('interrupted answers marked interrupted', { count: swept });
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
