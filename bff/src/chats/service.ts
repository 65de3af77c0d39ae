import { randomUUID } from 'node:crypto';
import { agentIdSchema, type Chat, defaultAgentId, type Message, runningMessageStatuses } from '@atrium/contracts';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import { insertPendingAnswer, moveAnswerIn, pendingAnswerValues } from '../agent/answer-lifecycle.js';
import { scanInput } from '../agent/injection-signals.js';
import { agentNotFound, findAgent } from '../agents/store.js';
import type { UsageConfig } from '../config.js';
import type { Database } from '../db/index.js';
import { chats, messages } from '../db/schema/index.js';
import type { Entitlements } from '../entitlements/entitlements.js';
import { AppError } from '../errors.js';
import { recordInputScan } from '../guardrails/record.js';
import { type EventDeps, withEvents } from '../realtime/event-log.js';
import { assertWithinBudget } from '../usage/usage.js';
import { findByIdempotencyKey, findChat, lastUserMessage, runningAnswer, touchChat } from './repository.js';
import { excerpt, titleFromMessage, toChatView, toMessageView } from './views.js';

/**
 * What the request that made a pending answer already knows of it, so the agent does not read it
 * back before the prompt (issue 12): its place in the chat, the question it answers (id and text)
 * and the agent recorded on it. None of these change while the answer is pending.
 */
export interface PendingAnswer {
  position: number;
  replyTo: string | null;
  agentId: string | null;
  question: string;
}

/** What the chat service needs from the agent: start an answer beside the request, stop one anywhere. */
export interface AnswerRunner {
  start(job: { userId: string; chatId: string; answerId: string }, pending?: PendingAnswer): void;
  requestStop(answerId: string): Promise<void>;
  leaseMs: number;
}

export interface ChatDeps extends EventDeps {
  agent: AnswerRunner;
  /** Any agent but the default needs `multi_agent`, when chosen and again at every answer. */
  entitlements: Entitlements;
  /** The default monthly budget (issue 11): a new answer past it is refused. */
  config: { usage: UsageConfig };
}

const previewChars = 120;

const chatNotFound = () => new AppError('chat.not_found', 404, 'No such chat.');
/** A retry must resend the same text: a different one under a used key is refused, not silently dropped. */
const idempotencyKeyReused = () =>
  new AppError(
    'request.idempotency_key_reused',
    422,
    'This Idempotency-Key was already used for a different message; send it with a new key.',
  );

async function ownedChat(tx: Database, userId: string, chatId: string) {
  const chat = await findChat(tx, userId, chatId, { lock: true });
  if (!chat) throw chatNotFound();
  return chat;
}

/**
 * Checks that `userId` may choose `agentId`: 400 `request.invalid` for a malformed id, 404
 * `agent.not_found` for an unknown one, 402 `entitlement.required` for any agent but the default
 * without `multi_agent`. Called outside transactions: the entitlement store may read the database.
 */
async function checkChoosable(deps: ChatDeps, userId: string, agentId: string): Promise<void> {
  if (!agentIdSchema.safeParse(agentId).success) {
    throw new AppError('request.invalid', 400, 'The agent id is malformed.', [
      { path: 'agentId', message: 'a slug: a–z, 0–9 and -, 2–40 characters' },
    ]);
  }
  const agent = await findAgent(deps.db, agentId);
  if (!agent) throw agentNotFound();
  if (agent.paid) await deps.entitlements.require({ id: userId }, 'multi_agent');
}

/**
 * The check at answer time: a chat with a paid agent answers only while its owner still has
 * `multi_agent` (it can be revoked after the chat was made): 402 `entitlement.required` otherwise.
 */
async function checkAnswerable(deps: ChatDeps, userId: string, chatId: string): Promise<void> {
  const chat = await findChat(deps.db, userId, chatId);
  if (chat && chat.agentId !== defaultAgentId) await deps.entitlements.require({ id: userId }, 'multi_agent');
}

/** A new chat, answered by `agentId` (the default when unset; see `checkChoosable` for errors). */
export async function createChat(
  deps: ChatDeps,
  userId: string,
  input: { title?: string | undefined; agentId?: string | undefined },
): Promise<Chat> {
  const agentId = input.agentId ?? defaultAgentId;
  if (agentId !== defaultAgentId) await checkChoosable(deps, userId, agentId);
  return withEvents(deps, async (tx, emit) => {
    const now = deps.clock.now();
    const [row] = await tx
      .insert(chats)
      .values({ userId, title: input.title ?? null, agentId, createdAt: now, updatedAt: now })
      .returning();
    const chat = toChatView(row!);
    await emit.toUser(userId, { type: 'chat.created', chat });
    return chat;
  });
}

/**
 * Renames a chat and/or switches its agent (the next answer uses it; a running one finishes with
 * the agent it started with). Switching checks the agent as `checkChoosable` does.
 */
export async function changeChat(
  deps: ChatDeps,
  userId: string,
  chatId: string,
  change: { title?: string | undefined; agentId?: string | undefined },
): Promise<Chat> {
  if (change.agentId !== undefined && change.agentId !== defaultAgentId) {
    await checkChoosable(deps, userId, change.agentId);
  }
  return withEvents(deps, async (tx, emit) => {
    await ownedChat(tx, userId, chatId);
    const row = await touchChat(tx, chatId, {
      ...(change.title !== undefined ? { title: change.title } : {}),
      ...(change.agentId !== undefined ? { agentId: change.agentId } : {}),
      updatedAt: deps.clock.now(),
    });
    const chat = toChatView(row!);
    await emit.toUser(userId, { type: 'chat.updated', chat });
    return chat;
  });
}

export async function deleteChat(deps: ChatDeps, userId: string, chatId: string): Promise<void> {
  const running = await withEvents(deps, async (tx, emit) => {
    await ownedChat(tx, userId, chatId);
    const answer = await runningAnswer(tx, userId, chatId);
    await tx.delete(chats).where(and(eq(chats.id, chatId), eq(chats.userId, userId)));
    await emit.toUser(userId, { type: 'chat.deleted', chatId });
    return answer;
  });
  if (running) await deps.agent.requestStop(running.id);
}

export interface PostedMessage {
  created: boolean;
  message: Message;
  answer: Message;
}

/**
 * Stores the user's message and a pending answer in one transaction, then starts the answer.
 * The chat row is locked first, so concurrent retries with one key queue up and the second
 * finds the first's message instead of writing a duplicate. The input guardrail scans the
 * message for injection signals (agent/injection-signals.ts) and records a trigger in the same
 * transaction (audit `guardrail.triggered`, layer `input`, kind `user_message`); the message is
 * kept as written — it is the user's own request, and tools stay behind the gate whatever it says.
 *
 * Errors: 404 `chat.not_found`, 402 `entitlement.required` (a paid agent without `multi_agent`),
 * 409 `chat.answer_in_progress`, 429 `budget.exceeded`. A retry with a used key returns the first
 * post (`created: false`) and changes nothing; a different text under a used key is 422
 * `request.idempotency_key_reused` (and changes nothing).
 *
 * Round trips (issue 12, bench/ttft.ts): the chat is locked by the UPDATE that touches it, the
 * key and a running answer are looked up in one query, both messages go in one INSERT, and the
 * three events in one batch (`withEvents`). What must not change the chat (a retry, a refusal) rolls back.
 * The agent is handed what the post knows of the answer (`PendingAnswer`), so it does not read it back.
 */
export async function postMessage(
  deps: ChatDeps,
  userId: string,
  chatId: string,
  input: { content: string; idempotencyKey: string },
): Promise<PostedMessage> {
  let posted: PostedMessage & { pending?: PendingAnswer };
  try {
    posted = await postInTransaction(deps, userId, chatId, input, false);
  } catch (error) {
    if (error instanceof RolledBack) posted = error.posted;
    else if (error instanceof EntitlementToCheck) {
      // The chat's agent is a paid one: checked outside the transaction (the entitlement store
      // may read the database), then posted again from the start.
      await checkAnswerable(deps, userId, chatId);
      try {
        posted = await postInTransaction(deps, userId, chatId, input, true);
      } catch (again) {
        if (!(again instanceof RolledBack)) throw again;
        posted = again.posted;
      }
    } else throw error;
  }
  const { pending, ...result } = posted;
  if (result.created) deps.agent.start({ userId, chatId, answerId: result.answer.id }, pending);
  return result;
}

/** Thrown to roll the post back when it must change nothing (a retry of an earlier post), carrying its answer. */
class RolledBack extends Error {
  constructor(readonly posted: PostedMessage) {
    super('rolled back');
  }
}

/** Thrown when the chat's agent needs `multi_agent` and it was not checked yet. */
class EntitlementToCheck extends Error {}

async function postInTransaction(
  deps: ChatDeps,
  userId: string,
  chatId: string,
  input: { content: string; idempotencyKey: string },
  entitlementChecked: boolean,
): Promise<PostedMessage & { pending: PendingAnswer }> {
  return withEvents(deps, async (tx, emit) => {
    const now = deps.clock.now();
    // Locks the chat (the first lock of the transaction) and touches it as the post will leave it.
    const [updated] = await tx
      .update(chats)
      .set({
        title: sql`coalesce(${chats.title}, ${titleFromMessage(input.content)})`,
        preview: excerpt(input.content, previewChars),
        updatedAt: now,
      })
      .where(and(eq(chats.id, chatId), eq(chats.userId, userId)))
      .returning();
    if (!updated) throw chatNotFound();
    if (updated.agentId !== defaultAgentId && !entitlementChecked) throw new EntitlementToCheck();
    const found = await keyOrRunning(tx, userId, chatId, input.idempotencyKey);
    if (found.some((row) => row.role === 'user')) {
      const earlier = await findByIdempotencyKey(tx, userId, chatId, input.idempotencyKey);
      if (earlier) {
        if (earlier.message.content !== input.content) throw idempotencyKeyReused();
        throw new RolledBack({
          created: false,
          message: toMessageView(earlier.message),
          answer: toMessageView(earlier.answer),
        });
      }
    }
    if (found.some((row) => row.role === 'assistant')) throw answerInProgress();
    await assertWithinBudget(tx, userId, deps.config.usage, now);
    // Both rows in one INSERT, the question first (its position is lower); the answer names the
    // question's id, so the id is made here rather than by the database.
    const messageId = randomUUID();
    const rows = await tx
      .insert(messages)
      .values([
        {
          id: messageId,
          chatId,
          userId,
          role: 'user',
          content: input.content,
          status: 'complete',
          idempotencyKey: input.idempotencyKey,
          createdAt: now,
          updatedAt: now,
        },
        pendingAnswerValues(leased(deps), { userId, chatId, replyTo: messageId, agentId: updated.agentId }),
      ])
      .returning();
    const message = rows.find((row) => row.id === messageId)!;
    const answer = rows.find((row) => row.id !== messageId)!;
    await recordInputScan(tx, scanInput('user_message', input.content), {
      at: now,
      actorId: userId,
      target: `message:${messageId}`,
    });
    const views = { message: toMessageView(message), answer: toMessageView(answer) };
    await emit.toUser(userId, { type: 'message.created', message: views.message });
    await emit.toUser(userId, { type: 'message.created', message: views.answer });
    await emit.toUser(userId, { type: 'chat.updated', chat: toChatView(updated) });
    const pending = {
      position: answer.position,
      replyTo: answer.replyTo,
      agentId: answer.agentId,
      question: input.content,
    };
    return { created: true, ...views, pending };
  });
}

/**
 * In one query: the user message stored under `key` in this chat (if any) and the chat's
 * running answer (if any). Each half is served by its own unique index.
 */
function keyOrRunning(tx: Database, userId: string, chatId: string, key: string) {
  const owned = and(eq(messages.chatId, chatId), eq(messages.userId, userId));
  return unionAll(
    tx
      .select({ id: messages.id, role: messages.role })
      .from(messages)
      .where(and(owned, eq(messages.idempotencyKey, key))),
    tx
      .select({ id: messages.id, role: messages.role })
      .from(messages)
      .where(and(owned, eq(messages.role, 'assistant'), inArray(messages.status, [...runningMessageStatuses]))),
  );
}

/** A new answer to the last user message; earlier answers stay in the conversation. */
export async function regenerate(deps: ChatDeps, userId: string, chatId: string): Promise<Message> {
  await checkAnswerable(deps, userId, chatId);
  const answer = await withEvents(deps, async (tx, emit) => {
    const chat = await ownedChat(tx, userId, chatId);
    if (await runningAnswer(tx, userId, chatId)) throw answerInProgress();
    const question = await lastUserMessage(tx, userId, chatId);
    if (!question) throw new AppError('chat.nothing_to_answer', 409, 'There is no message to answer yet.');
    await assertWithinBudget(tx, userId, deps.config.usage, deps.clock.now());
    const row = await insertPendingAnswer(tx, leased(deps), {
      userId,
      chatId,
      replyTo: question.id,
      agentId: chat.agentId,
    });
    const view = toMessageView(row);
    await emit.toUser(userId, { type: 'message.created', message: view });
    const pending = { position: row.position, replyTo: row.replyTo, agentId: row.agentId, question: question.content };
    return { view, pending };
  });
  deps.agent.start({ userId, chatId, answerId: answer.view.id }, answer.pending);
  return answer.view;
}

/** Ends the running answer as `stopped` with the text so far, then tells whichever instance generates it. */
export async function stopAnswer(deps: ChatDeps, userId: string, chatId: string): Promise<Message> {
  const answer = await withEvents(deps, async (tx, emit) => {
    await ownedChat(tx, userId, chatId);
    const running = await runningAnswer(tx, userId, chatId);
    const stopped = running
      ? await moveAnswerIn(tx, emit, { userId, chatId, answerId: running.id }, 'stopped', leased(deps))
      : null;
    if (!stopped) throw new AppError('chat.no_running_answer', 409, 'No answer is being written in this chat.');
    return toMessageView(stopped);
  });
  await deps.agent.requestStop(answer.id);
  return answer;
}

/** The time and lease a new or moved answer gets (the agent's ATRIUM_ANSWER_LEASE_MS). */
const leased = (deps: ChatDeps) => ({ now: deps.clock.now(), leaseMs: deps.agent.leaseMs });

const answerInProgress = () =>
  new AppError('chat.answer_in_progress', 409, 'An answer is still being written in this chat. Stop it or wait.');
