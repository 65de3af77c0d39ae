import { z } from 'zod';
import { citationSchema } from './documents.js';
import { answerStepSchema } from './tools.js';
import { chatTitleMaxChars, messageMaxChars, messageStatuses } from './values.js';

export const chatIdSchema = z.uuid();
export const messageRoles = ['user', 'assistant'] as const;
/** How an answer was produced: by the model, or from retrieved passages only (no model / breaker open). */
export const answerModes = ['llm', 'retrieval_only'] as const;

export const chatSchema = z.object({
  id: chatIdSchema,
  /** Null until named: the first message names an untitled chat; clients show "New chat" in the reader's language meanwhile. */
  title: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** First characters of the newest message, for the chat list. */
  preview: z.string().nullable(),
  /** The agent profile answering in this chat (issue 11); `support` (the default) for chats made before agents. */
  agentId: z.string(),
});
export type Chat = z.infer<typeof chatSchema>;

/**
 * Why an answer failed: stable codes a client translates (the error's message is the server's
 * own English). The schema below keeps `error.code` a plain string, so a client released before
 * a new code still reads the message and shows the server's text.
 */
export const answerFailureCodes = [
  'agent.failed',
  'agent.rate_limited',
  'agent.provider_error',
  'agent.timeout',
  'agent.unreachable',
  /** The reply could not be read or had nothing to show: no text, only a tool call, not the streaming protocol. */
  'agent.malformed_reply',
  'agent.rejected',
  'agent.interrupted',
  /** The answer ran past ATRIUM_ANSWER_DEADLINE_MS; its text so far is kept. */
  'agent.answer_deadline',
  /** The answer reached ATRIUM_ANSWER_MAX_CHARS; its text up to there is kept. */
  'agent.answer_too_long',
] as const;
export type AnswerFailureCode = (typeof answerFailureCodes)[number];

export const messageSchema = z.object({
  id: z.uuid(),
  chatId: chatIdSchema,
  role: z.enum(messageRoles),
  content: z.string(),
  status: z.enum(messageStatuses),
  mode: z.enum(answerModes).nullable(),
  model: z.string().nullable(),
  promptTokens: z.number().int().nullable(),
  completionTokens: z.number().int().nullable(),
  costUsd: z.number().nullable(),
  /** Why an answer failed, in words a person can act on; null unless status is `failed` or `interrupted`. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /**
   * The seq of the last `message.delta` already included in `content`; null when none is. A
   * client that loaded the message ignores deltas at or below it.
   */
  deltaSeq: z.number().int().nullable(),
  /**
   * For an answer: the passages it cites, numbered as in its text (`[1]`), each checked against
   * the passages the answer was given; empty for user messages and uncited answers.
   */
  citations: z.array(citationSchema),
  /** For an answer: its tool calls in order, each a step (empty for user messages and answers without tools). */
  steps: z.array(answerStepSchema),
  /** A user message's `Idempotency-Key` as the client sent it, so the client can match its optimistic copy; null for answers. */
  clientKey: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Message = z.infer<typeof messageSchema>;

export const pageQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const listChatsQuerySchema = pageQuerySchema.extend({ q: z.string().trim().max(200).optional() });
export const listChatsResponseSchema = z.object({ chats: z.array(chatSchema), nextCursor: z.string().nullable() });
export type ListChatsResponse = z.infer<typeof listChatsResponseSchema>;

const chatTitleSchema = z.string().trim().min(1).max(chatTitleMaxChars);
/** `agentId`: any agent but the default needs `multi_agent` (402 `entitlement.required`). */
export const createChatRequestSchema = z.object({
  title: chatTitleSchema.optional(),
  agentId: z.string().max(40).optional(),
});
/** `PATCH /api/chats/:id`: rename and/or switch agent (the next answer uses the new agent). */
export const renameChatRequestSchema = z
  .object({ title: chatTitleSchema.optional(), agentId: z.string().max(40).optional() })
  .refine((b) => b.title !== undefined || b.agentId !== undefined, 'nothing to change');
export const chatResponseSchema = z.object({ chat: chatSchema });
export type ChatResponse = z.infer<typeof chatResponseSchema>;

/** Messages oldest first; `nextCursor` pages further into the past. */
export const listMessagesResponseSchema = z.object({
  messages: z.array(messageSchema),
  nextCursor: z.string().nullable(),
});
export type ListMessagesResponse = z.infer<typeof listMessagesResponseSchema>;

export const postMessageRequestSchema = z.object({ content: z.string().trim().min(1).max(messageMaxChars) });
/** The stored user message and the assistant answer it started (streamed over /api/events). */
export const postMessageResponseSchema = z.object({ message: messageSchema, answer: messageSchema });
export type PostMessageResponse = z.infer<typeof postMessageResponseSchema>;
export const answerResponseSchema = z.object({ answer: messageSchema });
export type AnswerResponse = z.infer<typeof answerResponseSchema>;

export const agentStatusSchema = z.object({
  mode: z.enum(answerModes),
  model: z.string().nullable(),
  breaker: z.enum(['closed', 'open', 'half_open']),
});
export type AgentStatus = z.infer<typeof agentStatusSchema>;
